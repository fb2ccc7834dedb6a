#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""soak.py: every kind of feed at high rates for a set time, through `feedwatch --print` and
through the window, sampling each process's resident memory, open descriptors and threads
every few seconds. Fails if any of them keeps growing once the history is full.

Local sources only: a log file written fast (and rotated), a command printing lines, a folder
with files coming and going, a fast simulated sensor, the machine's sensors, and one loopback
HTTP server (this script's, Python standard library) serving SSE, NDJSON, Prometheus metrics,
a paginated JSON API and a WebSocket.

The window runs in its own D-Bus session (dbus-run-session), so no other Feedwatch takes its
feeds, with keyfile settings in a temporary folder that set the smallest history (1000 items):
it is full within a second and from then on memory must stay flat. Without a display, Xvfb is
started when it is installed (`make soak` runs the whole script under xvfb-run anyway).

Writes soak-<process>.csv (t_s, rss_kb, fds, threads) into --out. `--self-test` checks the
growth detector on synthetic series; it also runs before every soak. FW_SOAK_SELFTEST=leak
adds a synthetic leak to the samples of the print process, to see a run fail as it should.

Usage: soak.py --feedwatch BUILD/app/feedwatch --schema-dir BUILD/data --out BUILD \
               [--duration 600] [--interval S]
"""

import argparse
import base64
import csv
import hashlib
import http.server
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

# ------------------------------------------------------------------------------------------
# The growth detector

# Per metric: the slope (per minute) over the measured part that counts as growth, and the
# margin by which the late part's high-water mark must top the early part's. Both must be
# exceeded: a slope alone is fooled by a late spike or the phase of a sawtooth, a margin alone
# by a slow drift inside the noise. Memory limits scale with the process's size; under
# AddressSanitizer (freed memory waits in a quarantine, shadow pages grow in steps) they are
# wider, and the script turns the quarantine off.
LIMITS = {
    #            slope/min: (fraction of mean, at least)   margin: (fraction, at least)
    "rss_kb":  {"slope": (0.02, 1024), "margin": (0.02, 2048)},
    "fds":     {"slope": (0.0, 0.5), "margin": (0.0, 2)},
    "threads": {"slope": (0.0, 0.5), "margin": (0.0, 3)},
}
# Under ASan the window's resident size still climbs 20-30 MB/min at 30 s (its allocator keeps
# each size class's high-water mark); a leak of one small allocation per item at these rates
# adds 60 MB/min or more, which the 30 s run still catches (see the self-test).
ASAN_RSS = {"slope": (0.10, 8192), "margin": (0.04, 8192)}


def theil_sen_slope(ts, ys):
    """The median of the pairwise slopes: a line fit that a few spikes do not tilt"""
    slopes = sorted((ys[j] - ys[i]) / (ts[j] - ts[i])
                    for i in range(len(ts)) for j in range(i + 1, len(ts)) if ts[j] > ts[i])
    return slopes[len(slopes) // 2] if slopes else 0.0


def high_water(ys):
    """The maximum, but one lone spike does not count: the second highest of 4 or more"""
    ordered = sorted(ys)
    return ordered[-2] if len(ordered) >= 4 else ordered[-1]


def limits_for(metric, sanitized):
    if metric == "rss_kb" and sanitized:
        return ASAN_RSS
    return LIMITS[metric]


def warm_up(duration):
    """The history fills in a second; caches, pools and allocator arenas take longer."""
    return max(10.0, duration / 3)


def judge(ts, ys, metric, sanitized=False):
    """Returns (grows, details). After the warm-up, the measured part: its slope, and the
    high-water mark of its last quarter against that of its first half (which spans at least
    one period of anything periodic)."""
    measured = [(t, y) for t, y in zip(ts, ys) if t >= warm_up(ts[-1])]
    if len(measured) < 8:
        return False, "too few samples to judge (%d)" % len(measured)
    tm = [t for t, _ in measured]
    ym = [y for _, y in measured]
    early = ym[:len(ym) // 2]
    late = ym[-max(2, len(ym) // 4):]
    mean = sum(ym) / len(ym)
    lim = limits_for(metric, sanitized)
    slope_limit = max(lim["slope"][0] * mean, lim["slope"][1])
    margin = max(lim["margin"][0] * mean, lim["margin"][1])
    slope = theil_sen_slope(tm, ym) * 60.0
    rise = high_water(late) - high_water(early)
    grows = slope > slope_limit and rise > margin
    details = ("from %.0f s: slope %+.1f/min (limit %.1f), late high-water %+.0f over early "
               "(margin %.0f)" % (tm[0], slope, slope_limit, rise, margin))
    return grows, details


def self_test():
    """The detector on synthetic series: quiet ones pass, leaks fail."""
    rng = random.Random(7)
    short = [i * 1.0 for i in range(1, 31)]         # the 30 s run, a sample a second
    long = [i * 5.0 for i in range(1, 121)]         # the 10 min run, every 5 s

    def noisy(times, base, noise, f=lambda t: 0.0):
        return [base + f(t) + rng.uniform(-noise, noise) for t in times]

    def mb_per_min(rate):
        return lambda t: t * rate * 1024 / 60

    cases = [
        # name, times, series, metric, sanitized, expected to grow
        ("flat memory", short, noisy(short, 80000, 1500), "rss_kb", False, False),
        ("warm-up, then flat", short, noisy(short, 60000, 800, lambda t: min(t, 8) * 2000),
         "rss_kb", False, False),
        ("sawtooth (arenas trimmed)", short,
         noisy(short, 90000, 300, lambda t: (t % 8) * 250), "rss_kb", False, False),
        ("one late spike", short, noisy(short, 80000, 500)[:-1] + [95000], "rss_kb", False, False),
        ("ASan quarantine filling, then flat", short,
         noisy(short, 250000, 3000, lambda t: min(t, 9) * 2000), "rss_kb", True, False),
        ("leak 36 MB/min", short, noisy(short, 80000, 1500, mb_per_min(36)), "rss_kb", False, True),
        ("leak 60 MB/min under ASan", short, noisy(short, 40000, 2000, mb_per_min(60)),
         "rss_kb", True, True),
        ("ASan window still settling", short,
         noisy(short, 180000, 1500, lambda t: min(t, 10) * 8000 + t * 400), "rss_kb", True, False),
        ("fds steady", short, [40 + (i % 3 == 0) for i in range(30)], "fds", False, False),
        ("fd leak, one every 3 s", short, [40 + i // 3 for i in range(30)], "fds", False, True),
        ("threads from a pool", short, [12 + rng.choice((0, 0, 1, 2, 3)) for _ in range(30)],
         "threads", False, False),
        ("thread leak, one every 2 s", short, [12 + i // 2 for i in range(30)], "threads", False, True),
        ("10 min flat", long, noisy(long, 80000, 1500), "rss_kb", False, False),
        ("10 min sawtooth", long, noisy(long, 80000, 500, lambda t: (t % 60) * 50), "rss_kb", False, False),
        ("10 min leak 2 MB/min", long, noisy(long, 80000, 1500, mb_per_min(2)), "rss_kb", False, True),
        ("10 min fd leak, one a minute", long, [40 + int(t // 60) for t in long], "fds", False, True),
    ]
    failures = 0
    for name, times, ys, metric, sanitized, expected in cases:
        grows, details = judge(times, ys, metric, sanitized)
        ok = grows == expected
        failures += not ok
        print("self-test %-36s %-4s %-5s %s" % (name, "ok" if ok else "FAIL",
                                               "grows" if grows else "flat", details))
    return failures == 0


# ------------------------------------------------------------------------------------------
# Local sources

STOP = threading.Event()


def paced(rate, emit, tick=0.02):
    """Calls emit(n) every tick with the n items due at @rate per second, until STOP."""
    last = time.monotonic()
    owed = 0.0
    while not STOP.is_set():
        time.sleep(tick)
        now = time.monotonic()
        owed = min(owed + (now - last) * rate, rate * 0.2)
        last = now
        n = int(owed)
        if n:
            owed -= n
            if emit(n) is False:
                return


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.n = 0

    def take(self, k):
        with self.lock:
            first = self.n
            self.n += k
            return first


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    rates = {}
    counter = Counter()
    started = time.monotonic()

    def log_message(self, *args):
        pass

    def stream_headers(self, content_type):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def write(self, data):
        try:
            self.wfile.write(data)
            self.wfile.flush()
            return True
        except OSError:
            return False

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        route = {"/sse": self.sse, "/ndjson": self.ndjson, "/metrics": self.metrics,
                 "/pages": self.pages, "/ws": self.websocket}.get(url.path)
        if route is None:
            self.send_error(404)
            return
        route(urllib.parse.parse_qs(url.query))

    def sse(self, query):
        self.stream_headers("text/event-stream")
        levels = ("info", "warning", "error")

        def emit(n):
            first = self.counter.take(n)
            return self.write("".join(
                "id: %d\nevent: tick\ndata: {\"n\":%d,\"level\":\"%s\",\"msg\":\"soak event\"}\n\n"
                % (i, i, levels[i % 3]) for i in range(first, first + n)).encode())
        paced(self.rates["sse"], emit)

    def ndjson(self, query):
        self.stream_headers("application/x-ndjson")

        def emit(n):
            first = self.counter.take(n)
            return self.write("".join('{"n":%d,"value":%.3f,"msg":"soak line"}\n' % (i, i % 97 / 7)
                                      for i in range(first, first + n)).encode())
        paced(self.rates["ndjson"], emit)

    def send_body(self, content_type, body):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def metrics(self, query):
        t = time.monotonic() - self.started
        lines = []
        for i in range(20):
            lines.append("# TYPE soak_requests_%d counter" % i)
            lines.append('soak_requests_%d{path="/p%d"} %d' % (i, i, int(t * 100 * (i + 1))))
            lines.append("soak_temperature_%d %.2f" % (i, 40 + (t * (i + 1)) % 20))
        self.send_body("text/plain; version=0.0.4", ("\n".join(lines) + "\n").encode())

    def pages(self, query):
        # Records appear over time (50 a second); pages of 100 by an offset cursor.
        total = int((time.monotonic() - self.started) * self.rates["pages"])
        cursor = int(query.get("cursor", ["0"])[0])
        items = [{"id": i, "msg": "record %d" % i} for i in range(cursor, min(cursor + 100, total))]
        page = {"items": items}
        if cursor + 100 < total:
            page["next_cursor"] = str(cursor + 100)
        self.send_body("application/json", json.dumps(page).encode())

    def websocket(self, query):
        key = self.headers.get("Sec-WebSocket-Key", "")
        accept = base64.b64encode(hashlib.sha1(
            (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        lock = threading.Lock()
        closed = threading.Event()

        def frame(payload, opcode=1):
            n = len(payload)
            if n < 126:
                head = bytes((0x80 | opcode, n))
            elif n < 65536:
                head = bytes((0x80 | opcode, 126)) + n.to_bytes(2, "big")
            else:
                head = bytes((0x80 | opcode, 127)) + n.to_bytes(8, "big")
            return head + payload

        def send(data):
            with lock:
                return not closed.is_set() and self.write(data)

        def read_frames():
            # Answers pings, ends on close; client frames are masked.
            try:
                while not closed.is_set():
                    head = self.rfile.read(2)
                    if len(head) < 2:
                        break
                    opcode, n = head[0] & 0x0F, head[1] & 0x7F
                    if n == 126:
                        n = int.from_bytes(self.rfile.read(2), "big")
                    elif n == 127:
                        n = int.from_bytes(self.rfile.read(8), "big")
                    mask = self.rfile.read(4) if head[1] & 0x80 else b"\0\0\0\0"
                    data = bytes(b ^ mask[i % 4] for i, b in enumerate(self.rfile.read(n)))
                    if opcode == 9:
                        send(frame(data, 10))
                    elif opcode == 8:
                        send(frame(data[:2], 8))
                        break
            except OSError:
                pass
            closed.set()

        threading.Thread(target=read_frames, daemon=True).start()

        def emit(n):
            first = self.counter.take(n)
            return send(b"".join(frame(('{"n":%d,"msg":"soak message"}' % i).encode())
                                 for i in range(first, first + n)))
        paced(self.rates["ws"], emit)
        closed.set()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def write_log(path, rate):
    """Lines at @rate, mixed levels, rotated by rename at 4 MB (one old file kept)."""
    levels = ("INFO", "DEBUG", "WARN", "ERROR", "INFO")
    n = [0]
    f = [open(path, "a", buffering=1 << 20)]

    def emit(k):
        f[0].write("".join("2026-01-01T00:00:00.000Z %s soak log line %d\n" % (levels[i % 5], i)
                           for i in range(n[0], n[0] + k)))
        f[0].flush()
        n[0] += k
        if f[0].tell() > 4 << 20:
            f[0].close()
            os.replace(path, path + ".1")
            f[0] = open(path, "a", buffering=1 << 20)
    paced(rate, emit)
    f[0].close()


def churn_folder(folder, rate):
    """Files created, appended to and deleted at @rate operations per second; at most 50 stay."""
    rng = random.Random(1)
    n = [0]

    def emit(k):
        for _ in range(k):
            i = n[0]
            n[0] += 1
            op = rng.random()
            name = os.path.join(folder, "f%d.txt" % (i % 50))
            try:
                if op < 0.4:
                    with open(name, "a") as f:
                        f.write("x" * 100)
                elif op < 0.7:
                    os.unlink(name)
                else:
                    os.replace(name, name + ".moved") if os.path.exists(name) else None
                    if os.path.exists(name + ".moved"):
                        os.unlink(name + ".moved")
            except OSError:
                pass
    paced(rate, emit, tick=0.05)


class Sources:
    def __init__(self, workdir, scale):
        self.threads = []
        rates = {"sse": 2000 * scale, "ndjson": 2000 * scale, "ws": 1000 * scale, "pages": 50 * scale}
        Handler.rates = rates
        self.server = Server(("127.0.0.1", 0), Handler)
        port = self.server.server_address[1]
        self.spawn(self.server.serve_forever)
        log = os.path.join(workdir, "soak.log")
        folder = os.path.join(workdir, "churn")
        os.mkdir(folder)
        open(log, "w").close()
        self.spawn(write_log, log, 5000 * scale)
        self.spawn(churn_folder, folder, 100 * scale)
        base = "http://127.0.0.1:%d" % port
        lines_per_tick = max(1, int(200 * scale))
        self.feeds = [
            log,
            'cmd:sh -c "while :; do seq 1 %d; sleep 0.04; done"' % lines_per_tick,
            "dir:" + folder,
            "sim:sensor?interval=%d" % max(1, int(2 / scale)),
            "sensors:?interval=250",
            "sse:%s/sse" % base,
            "ndjson:%s/ndjson" % base,
            "metrics:%s/metrics#interval=200" % base,
            # a small seen-set, full within the warm-up (it holds the newest max-seen ids)
            "pages:%s/pages#interval=500&poll-from=end&max-seen=500" % base,
            "ws://127.0.0.1:%d/ws" % port,
        ]

    def spawn(self, func, *args):
        t = threading.Thread(target=func, args=args, daemon=True)
        t.start()
        self.threads.append(t)

    def stop(self):
        STOP.set()
        self.server.shutdown()
        self.server.server_close()


# ------------------------------------------------------------------------------------------
# The processes under test

def sample(pid):
    """(rss_kb, fds, threads), or None once the process is gone"""
    try:
        rss = threads = 0
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("Threads:"):
                    threads = int(line.split()[1])
        fds = len(os.listdir("/proc/%d/fd" % pid))
        return rss, fds, threads
    except (OSError, ValueError):
        return None


def child_of(pid, name, deadline):
    """The pid of @pid's child running @name (dbus-run-session's feedwatch)"""
    while time.monotonic() < deadline:
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % entry) as f:
                    stat = f.read()
            except OSError:
                continue
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            if ppid == pid and comm == name[:15]:
                return int(entry)
        time.sleep(0.1)
    return None


def is_sanitized(binary):
    with open(binary, "rb") as f:
        return b"__asan_init" in f.read()


def start_display(env):
    """Xvfb on a free display number, when there is no display; returns the process"""
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    if shutil.which("Xvfb") is None:
        return None
    r, w = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1280x800x24",
                             "-nolisten", "tcp"], pass_fds=(w,), stderr=subprocess.DEVNULL)
    os.close(w)
    with os.fdopen(r) as f:
        number = f.readline().strip()
    env["DISPLAY"] = ":" + number
    return proc


def run(args):
    sanitized = is_sanitized(args.feedwatch)
    workdir = tempfile.mkdtemp(prefix="fw-soak-")
    env = dict(os.environ)
    env.update({
        "GSETTINGS_SCHEMA_DIR": os.path.abspath(args.schema_dir),
        "NO_AT_BRIDGE": "1", "GTK_A11Y": "none", "ADW_DISABLE_PORTAL": "1",
        "GSK_RENDERER": "cairo",
        "XDG_CONFIG_HOME": os.path.join(workdir, "config"),
        "XDG_DATA_HOME": os.path.join(workdir, "data"),
        "XDG_CACHE_HOME": os.path.join(workdir, "cache"),
    })
    if sanitized:
        # Leaks at exit are the unit tests' business, use-after-free too: without the
        # quarantine, freed memory is reused at once and the resident size settles as it would.
        env["ASAN_OPTIONS"] = ("detect_leaks=0:quarantine_size_mb=0:thread_local_quarantine_size_kb=0:"
                               "abort_on_error=1:detect_odr_violation=0")
    settings = os.path.join(workdir, "config", "glib-2.0", "settings")
    os.makedirs(settings)
    with open(os.path.join(settings, "keyfile"), "w") as f:
        f.write("[io/github/feedwatch/Feedwatch]\nhistory-length=1000\nfirst-run=false\n")

    xvfb = start_display(env)
    sources = Sources(workdir, args.rate_scale)
    procs = {}
    ok = True
    try:
        # A few seconds of --print first: every kind of feed must deliver, or the soak proves
        # nothing about it.
        check = subprocess.run([args.feedwatch, "--print", "--duration", "4"] + sources.feeds,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=60)
        per_feed = {feed: 0 for feed in sources.feeds}
        for line in check.stdout.splitlines():
            item = json.loads(line)
            if item.get("kind") != "status" and item.get("feed") in per_feed:
                per_feed[item["feed"]] += 1
        print("items in 4 s of --print, per feed:")
        for feed, n in per_feed.items():
            print("  %8d  %s" % (n, feed))
            if n == 0:
                ok = False
                print("FAIL: no items from %s" % feed)
        if check.returncode != 0:
            ok = False
            print("FAIL: feedwatch --print exited %d: %s" % (check.returncode, check.stderr.decode()[-2000:]))

        stats = open(os.path.join(workdir, "print.stderr"), "w+")
        print_proc = subprocess.Popen([args.feedwatch, "--print", "--stats"] + sources.feeds, env=env,
                                      stdout=subprocess.DEVNULL, stderr=stats)
        procs["print"] = (print_proc, print_proc.pid)
        if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
            window_stderr = open(os.path.join(workdir, "window.stderr"), "w+")
            session = subprocess.Popen(["dbus-run-session", "--", args.feedwatch] + sources.feeds,
                                       env=env, stdout=subprocess.DEVNULL, stderr=window_stderr)
            pid = child_of(session.pid, "feedwatch", time.monotonic() + 20)
            if pid is None:
                ok = False
                print("FAIL: the window's feedwatch did not start")
            else:
                procs["window"] = (session, pid)
        else:
            print("no display and no Xvfb: the window is not soaked")

        series = {name: [] for name in procs}
        start = time.monotonic()
        interval = args.interval or max(1.0, min(5.0, args.duration / 30))
        leak = os.environ.get("FW_SOAK_SELFTEST") == "leak"
        while time.monotonic() - start < args.duration:
            time.sleep(interval)
            t = time.monotonic() - start
            for name, (proc, pid) in procs.items():
                s = sample(pid)
                if s is None or proc.poll() is not None:
                    continue
                rss, fds, threads = s
                if leak and name == "print":
                    rss += int(t * 1000)    # 60 MB a minute: 100 bytes an item at 10,000 items/s
                series[name].append((round(t, 1), rss, fds, threads))
            for name, (proc, pid) in procs.items():
                if proc.poll() is not None:
                    print("FAIL: %s exited early with %s" % (name, proc.returncode))
                    ok = False
            if not ok:
                break

        # --print ends cleanly on SIGINT: every stream closed, exit 0, its figures on stderr
        print_proc.send_signal(signal.SIGINT)
        try:
            if print_proc.wait(timeout=20) != 0:
                ok = False
                print("FAIL: feedwatch --print exited %d after SIGINT" % print_proc.returncode)
        except subprocess.TimeoutExpired:
            ok = False
            print("FAIL: feedwatch --print did not exit within 20 s of SIGINT")
        stats.seek(0)
        print("feedwatch --print --stats: " + " ".join(stats.read().split())[:600])

        for name, rows in series.items():
            path = os.path.join(args.out, "soak-%s.csv" % name)
            with open(path, "w", newline="") as f:
                out = csv.writer(f)
                out.writerow(("t_s", "rss_kb", "fds", "threads"))
                out.writerows(rows)
            print("\n%s (pid %d): %d samples every %.1f s, %s%s" % (
                name, procs[name][1], len(rows), interval, path,
                ", AddressSanitizer build" if sanitized else ""))
            if len(rows) < 2:
                ok = False
                print("FAIL: no samples")
                continue
            ts = [r[0] for r in rows]
            for col, metric in enumerate(("rss_kb", "fds", "threads"), start=1):
                ys = [r[col] for r in rows]
                picks = [ys[round(i * (len(ys) - 1) / 8)] for i in range(9)]
                grows, details = judge(ts, ys, metric, sanitized)
                print("  %-8s start %-8d end %-8d min %-8d max %-8d curve %s" % (
                    metric, ys[0], ys[-1], min(ys), max(ys), " ".join(str(p) for p in picks)))
                print("  %-8s %s: %s" % ("", "GROWS" if grows else "flat", details))
                if grows:
                    ok = False
    finally:
        for name, (proc, pid) in procs.items():
            if proc.poll() is None:
                try:
                    os.kill(pid, signal.SIGTERM)
                    proc.wait(timeout=20)
                except (OSError, subprocess.TimeoutExpired):
                    proc.kill()
                    proc.wait()
        sources.stop()
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait()
        shutil.rmtree(workdir, ignore_errors=True)

    print("\nsoak %s" % ("passed" if ok else "FAILED"))
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feedwatch")
    parser.add_argument("--schema-dir")
    parser.add_argument("--out", default=".")
    parser.add_argument("--duration", type=float, default=600)
    parser.add_argument("--interval", type=float, default=0, help="seconds between samples")
    parser.add_argument("--rate-scale", type=float, default=1.0, help="multiplies every rate")
    parser.add_argument("--self-test", action="store_true", help="only check the detector")
    args = parser.parse_args()

    if not self_test():
        print("the growth detector is wrong")
        return 1
    if args.self_test:
        return 0
    if not args.feedwatch or not args.schema_dir:
        parser.error("--feedwatch and --schema-dir are needed")
    return 0 if run(args) else 1


if __name__ == "__main__":
    sys.exit(main())
