#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-flatpak.sh (`make flatpak`): prove the Flatpak manifest builds, installs and runs.
#
#  1. standin  build and install the local stand-in GNOME 49 runtime and SDK (build-standin.sh;
#              cached in $FW_FLATPAK_CACHE, default /var/tmp/feedwatch-flatpak, so only the first
#              run on a machine pays for it)
#  2. build    flatpak-builder builds flatpak/io.github.feedwatch.Feedwatch.json unchanged (with
#              its tests), exports it to a repository and installs it
#  3. bundle   flatpak build-bundle makes a single-file bundle
#  4. install  the bundle goes into a FRESH installation, which pulls the runtime itself through
#              the bundle's runtime-repo (.flatpakrepo file)
#  5. run      `flatpak run … --print --count 3 sim:sensor` in the sandbox, plus checks of what the
#              sandbox sees (/var/log read-only, /proc and /sys sensors)
#  6. window   the window opens under Xvfb inside the sandbox; a screenshot is saved to
#              flatpak/.work/screenshot.png and checked for content
# Each phase prints its wall time; the summary at the end repeats them.
#
# Needs root (debootstrap) and the Debian packages in the Makefile's DEBIAN_PACKAGES. Safe to run
# again at any time; runs from several checkouts at once take turns on a lock.

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
app_id=io.github.feedwatch.Feedwatch
manifest=$here/$app_id.json
cache=${FW_FLATPAK_CACHE:-/var/tmp/feedwatch-flatpak}
work=$here/.work

for tool in flatpak flatpak-builder ostree debootstrap xvfb-run dbus-run-session import xwininfo; do
  command -v "$tool" >/dev/null || { echo "test-flatpak: $tool is missing (make deps installs it)"; exit 1; }
done
if [[ $(id -u) != 0 ]]; then
  echo "test-flatpak: needs root (debootstrap builds the stand-in runtime)"; exit 1
fi

mkdir -p "$cache" "$work"
exec 9>"$cache/lock"
flock 9

# flatpak wants a private runtime dir; a CI shell may have none.
export XDG_RUNTIME_DIR=$work/xdg-runtime
rm -rf "$XDG_RUNTIME_DIR"
mkdir -m 0700 -p "$XDG_RUNTIME_DIR"
# The stand-in runtime, the SDK and the builder's install live in one cached installation;
# the bundle goes into a new, empty one.
builder_install=$cache/user
fresh_install=$work/fresh-install

declare -a phases=()
phase_start=0
phase_name=""
begin () { phase_name=$1; phase_start=$SECONDS; echo; echo "=== $phase_name ==="; }
end () {
  local t=$((SECONDS - phase_start))
  echo "=== $phase_name: ${t} s"
  phases+=("$(printf '%-8s %4d s' "$phase_name" "$t")")
}
total_start=$SECONDS

begin standin
FLATPAK_USER_DIR=$builder_install bash "$here/build-standin.sh" "$cache"
end

begin build
export FLATPAK_USER_DIR=$builder_install
# rofiles-fuse needs /dev/fuse, which containers often lack; the build dir is ours anyway.
flatpak-builder --user --install --force-clean --disable-rofiles-fuse --disable-updates \
  --state-dir="$work/state" --repo="$work/repo" "$work/build-dir" "$manifest" \
  >"$work/build.log" 2>&1 || { tail -60 "$work/build.log"; echo "flatpak-builder failed (log: $work/build.log)"; exit 1; }
grep -E '^(Ok|Fail|Skipped|Timeout|Expected Fail|Unexpected Pass): ' "$work/build.log" |
  sed 's/^/  tests in the SDK: /' || true
flatpak --user info "$app_id" | sed -n '1,12p'
end

begin bundle
flatpak build-bundle --runtime-repo="file://$cache/standin.flatpakrepo" \
  "$work/repo" "$work/$app_id.flatpak" "$app_id"
ls -l "$work/$app_id.flatpak"
end

begin install
rm -rf "$fresh_install"
export FLATPAK_USER_DIR=$fresh_install
flatpak --user install -y --noninteractive --bundle "$work/$app_id.flatpak"
flatpak --user list --columns=application,branch,origin
end

begin run
out=$(flatpak run "$app_id" --print --count 3 sim:sensor)
echo "$out"
[[ $(grep -c '^{"feed":"sim:sensor"' <<<"$out") == 3 ]] || { echo "expected 3 sim:sensor items"; exit 1; }
flatpak run "$app_id" --version
# The manifest builds libmosquitto and libpq, so mqtt:// and postgres:// are real feeds in the
# sandbox: on a closed port each says in words that the connection failed, where a build
# without the library refuses the feed ("built without"). --duration bounds the retrying.
for feed in mqtt://127.0.0.1:1/feedwatch/test \
    'postgres://feedwatch@127.0.0.1:1/feedwatch?channel=test'; do
  out=$(flatpak run "$app_id" --print --duration 3 "$feed" 2>&1) || true
  head -3 <<<"$out"
  if grep -q 'built without' <<<"$out"; then
    echo "$feed: this Flatpak was built without its library"; exit 1
  fi
  grep -q 'refused' <<<"$out" || { echo "$feed: expected a refused connection, in words"; exit 1; }
done
# What the finish-args promise: /var/log readable but not writable, host sensors visible.
flatpak run --command=sh "$app_id" -c '
  set -e
  test -r /var/log && ls /var/log >/dev/null
  if touch /var/log/.feedwatch-probe 2>/dev/null; then echo "/var/log is writable"; exit 1; fi
  test -r /proc/stat && test -r /proc/meminfo && test -d /sys/class
  echo "sandbox: /var/log read-only, /proc/stat, /proc/meminfo and /sys/class readable"
  command -v flatpak-spawn >/dev/null
  echo "sandbox: flatpak-spawn present for host commands"
'
end

begin window
shot=$work/screenshot.png
rm -f "$shot"
# xvfb-run, then a private session bus, then flatpak: in that order, so the sandbox finds both.
xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash -c '
  set -u
  app_id=$1 shot=$2 log=$3
  flatpak run "$app_id" >"$log" 2>&1 &
  pid=$!
  found=""
  for _ in $(seq 1 600); do       # bounded: 60 s for the window to map
    if xwininfo -root -tree 2>/dev/null | grep -q "\"Feedwatch\""; then found=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$found" ]; then
    echo "no Feedwatch window appeared"; cat "$log"; kill "$pid" 2>/dev/null; exit 1
  fi
  sleep 3                         # let a few frames and sensor readings arrive
  import -window root "$shot"
  flatpak kill "$app_id" 2>/dev/null || kill "$pid"
  wait "$pid" 2>/dev/null
  exit 0
' sh "$app_id" "$shot" "$work/window.log"
# An empty screen would be one flat colour; the window makes it anything but.
colours=$(convert "$shot" -format '%k' info:)
echo "screenshot: $shot ($colours colours)"
[[ $colours -gt 50 ]] || { echo "the screenshot looks empty"; exit 1; }
end

echo
echo "=== make flatpak: phase wall times"
printf '  %s\n' "${phases[@]}"
echo "  total    $((SECONDS - total_start)) s"
