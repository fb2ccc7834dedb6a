# SPDX-License-Identifier: GPL-3.0-or-later
"""What an idle window costs: Feedwatch with its first-launch feeds beside GNOME System Monitor,
in one run, on the display and session bus this runs in (run-idle-bench.sh gives a private
Xvfb and bus). Each app starts fresh, settles, and is then measured for IDLE_SECONDS: the CPU
time the process used (user + system, from /proc), as a share of one core. Feedwatch runs
once with GTK's cairo renderer, once with its GL renderer (software GL under Xvfb: llvmpipe,
as on a VM or a machine without a GPU) and once with no GSK_RENDERER, as a user starts it (it
picks cairo on software GL); System Monitor is GTK 3 and measured in each round, so each ratio
compares figures from the same minutes. Feedwatch also counts its frames over the same span
(FEEDWATCH_FRAME_LOG): those drawn, and those the frame clock ran (drawn or not).

Each renderer is measured twice: with the window in front, and in the background, as a window
left open all day mostly is. There is no window manager under Xvfb: a small xmessage window
takes the keyboard focus (xdotool), which puts the measured app's window in the background
(GTK's :backdrop); Feedwatch then refreshes every 3 seconds (its "save-power-in-background"
preference), System Monitor as always."""

import os
import shutil
import subprocess
import sys
import tempfile
import time

# Startup is not idle: with the GL renderer on llvmpipe, shaders for what a window shows once its
# feeds have data (sparklines, the plot) are still being compiled by LLVM 8 to 11 s after launch
SETTLE = float(os.environ.get("IDLE_SETTLE_SECONDS", "20"))
SECONDS = float(os.environ.get("IDLE_SECONDS", "30"))
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of the whole line; 12 and 13 after the name
    return (int(fields[11]) + int(fields[12])) / TICKS


def uses_software_gl(pid):
    with open(f"/proc/{pid}/maps") as f:
        maps = f.read()
    return "swrast_dri" in maps or "libgallium" in maps or "kms_swrast" in maps


def frames_in(log, start, end):
    """Frames the frame clock ran and frames drawn (FEEDWATCH_FRAME_LOG) between two times of
    time.monotonic(), the clock GLib's monotonic time is"""
    clock = drawn = 0
    try:
        with open(log) as f:
            for line in f:
                fields = line.split()
                if len(fields) < 2 or not start <= int(fields[1]) / 1e6 < end:
                    continue
                if fields[0] == "clock":
                    clock += 1
                elif fields[0] == "draw":
                    drawn += 1
    except FileNotFoundError:
        return None
    return clock, drawn


def focus_elsewhere():
    """Starts a small window and gives it the keyboard focus; returns it, to terminate"""
    other = subprocess.Popen(["xmessage", "-geometry", "+1150+760", "idle"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(50):
        found = subprocess.run(["xdotool", "search", "--name", "^xmessage$"],
                               capture_output=True, text=True).stdout.split()
        if found:
            subprocess.run(["xdotool", "windowfocus", "--sync", found[0]], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return other
        time.sleep(0.1)
    other.terminate()
    raise RuntimeError("the xmessage window did not appear")


def measure(argv, env, frame_log=False, background=False):
    with tempfile.TemporaryDirectory(prefix="fw-idle-") as home:
        log = f"{home}/frames.log"
        if frame_log:
            env = dict(env, FEEDWATCH_FRAME_LOG=log)
        env = dict(env, HOME=home, XDG_CONFIG_HOME=f"{home}/config",
                   XDG_DATA_HOME=f"{home}/data", XDG_CACHE_HOME=f"{home}/cache",
                   XDG_STATE_HOME=f"{home}/state")
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        other = None
        try:
            if background:
                # The app's window must be up before another takes the focus from it
                time.sleep(SETTLE / 2)
                other = focus_elsewhere()
                time.sleep(SETTLE / 2)
            else:
                time.sleep(SETTLE)
            if proc.poll() is not None:
                raise RuntimeError(f"{argv[0]} exited with {proc.returncode} while settling")
            start_cpu = cpu_seconds(proc.pid)
            start = time.monotonic()
            time.sleep(SECONDS)
            used = cpu_seconds(proc.pid) - start_cpu
            elapsed = time.monotonic() - start
            software_gl = uses_software_gl(proc.pid)
            frames = frames_in(log, start, start + elapsed) if frame_log else None
        finally:
            if other is not None:
                other.terminate()
                other.wait()
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    per_second = None if frames is None else (frames[0] / elapsed, frames[1] / elapsed)
    return 100.0 * used / elapsed, software_gl, per_second


def main():
    feedwatch = os.environ.get("FEEDWATCH_BIN")
    build = os.environ.get("FW_BENCH_BUILD")
    monitor = shutil.which("gnome-system-monitor")
    if not feedwatch or not build:
        sys.exit("bench_idle.py: FEEDWATCH_BIN and FW_BENCH_BUILD must be set (run-bench.sh does)")
    if monitor is None:
        sys.exit("bench_idle.py: gnome-system-monitor is not installed (make deps installs it)")

    base = dict(os.environ, GSETTINGS_BACKEND="memory", ADW_DISABLE_PORTAL="1",
                GTK_A11Y="none", NO_AT_BRIDGE="1")
    fw_env = dict(base, GSETTINGS_SCHEMA_DIR=f"{build}/data")
    # System Monitor's schema is the system's
    sm_env = {k: v for k, v in base.items() if k != "GSETTINGS_SCHEMA_DIR"}

    print(f"Idle, {SECONDS:.0f} s after {SETTLE:.0f} s to settle; CPU time as a share of one core.")
    print()
    print("| renderer | window | Feedwatch (first-launch feeds) | GNOME System Monitor | ratio "
          "| Feedwatch frames drawn/s (clock frames/s) |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for renderer in ("cairo", "gl", None):
        for background in (False, True):
            sm, _, _ = measure([monitor], sm_env, background=background)
            env = dict(fw_env)
            env.pop("GSK_RENDERER", None)
            if renderer is not None:
                env["GSK_RENDERER"] = renderer
            fw, software_gl, frames = measure([feedwatch], env, frame_log=True,
                                              background=background)
            label = renderer or "default (GSK_RENDERER unset)"
            if renderer == "gl":
                label += " (software GL, llvmpipe)" if software_gl else " (hardware GL)"
            where = "in the background" if background else "in front"
            ratio = f"{fw / sm:.2f}×" if sm > 0 else "–"
            shown = "–" if frames is None else f"{frames[1]:.2f} ({frames[0]:.2f})"
            print(f"| {label} | {where} | {fw:.2f} % | {sm:.2f} % | {ratio} | {shown} |",
                  flush=True)


if __name__ == "__main__":
    main()
