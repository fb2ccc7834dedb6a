#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""test-a11y.py: the real Feedwatch window read through the accessibility tree (AT-SPI), as a
screen reader reads it, from another process.

Starts the build tree's feedwatch ($FEEDWATCH_BIN) with the accessibility bridge on, a fresh
home and in-memory settings, watching a log file of three lines and a command that does not
exist. Then, through AT-SPI only: the sidebar's rows are named by their feeds' titles and their
badges say what they count; the failure toast says why the command failed; selecting the log
feed in the sidebar (the list's Selection interface) makes the list show its three lines, in
order, cell by cell; every control a person can operate has a name of its own (not its
widget's type); new items are announced through a status object, not while the list is paused,
and a few times (saying how many) under a flood, not per item. Quits through the app's quit action and expects exit status 0.

Runs under the session bus that `make check` provides (dbus-run-session); the accessibility
bus (org.a11y.Bus) is D-Bus activated on it, or started here when it is not. Speaks TAP.
"""

import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# The suite's G_DEBUG=fatal-warnings is for our code, which is the app (it keeps it): libatspi
# here warns that GTK 4 apps have no AT-SPI cache object, which is no fault. GLib reads G_DEBUG
# once, when it is loaded (by gi, below).
APP_G_DEBUG = os.environ.pop("G_DEBUG", None)

try:
    import gi
    gi.require_version("Atspi", "2.0")
    from gi.repository import Gio, GLib
    import pyatspi
except (ImportError, ValueError) as e:
    print(f"1..0 # SKIP no AT-SPI for Python here ({e}): install python3-pyatspi")
    sys.exit(0)

APP_ID = "io.github.feedwatch.Feedwatch"
OBJECT_PATH = "/io/github/feedwatch/Feedwatch"
SLOWDOWN = float(os.environ.get("FW_TEST_SLOWDOWN", "1"))
DEADLINE = 30.0 * SLOWDOWN
POLL = 0.1
COMMAND = "fw-no-such-command"
LOG_LINES = [
    "2026-03-01T10:00:00Z INFO a11y-test reader started",
    "2026-03-01T10:00:01Z WARNING a11y-test queue almost full",
    "2026-03-01T10:00:02Z ERROR a11y-test disk on fire",
]
LEVELS = ["info", "warning", "error"]
N_TESTS = 11
# The announcement test's flood: FLOOD_LINES lines a tick, for FLOOD_SECONDS
FLOOD_SECONDS = 8.0
FLOOD_TICK = 0.05
FLOOD_LINES = 50
INTERACTIVE_ROLES = {"push button", "toggle button", "check box", "radio button", "combo box",
                     "entry", "password text", "spin button", "slider", "switch", "menu item",
                     "link", "page tab"}
TYPE_NAME = re.compile(r"^(Gtk|Adw)[A-Z][A-Za-z]*$")

n_run = 0
n_failed = 0


def report(ok, what, detail=None):
    global n_run, n_failed
    n_run += 1
    if not ok:
        n_failed += 1
    print(f"{'ok' if ok else 'not ok'} {n_run} - {what}", flush=True)
    if detail:
        for line in str(detail).splitlines():
            print(f"# {line}", flush=True)


def note(text):
    for line in str(text).splitlines():
        print(f"# {line}", flush=True)


class Timeout(Exception):
    pass


def wait_for(what, probe):
    """Polls probe() every 100 ms until it returns (True, value); returns the value. Past the
    deadline, raises Timeout with what probe last saw."""
    deadline = time.monotonic() + DEADLINE
    seen = None
    while True:
        try:
            done, seen = probe()
            if done:
                return seen
        except GLib.GError as e:  # an object went away while we walked the tree
            seen = f"AT-SPI error: {e.message}"
        if time.monotonic() > deadline:
            raise Timeout(f"after {DEADLINE:.0f} s, {what}: last seen {seen!r}")
        time.sleep(POLL)


# Reading the tree ------------------------------------------------------------------------------

def children(acc):
    out = []
    for i in range(acc.childCount):
        child = acc.getChildAtIndex(i)
        if child is not None:
            out.append(child)
    return out


def descendants(acc, pred, prune=None):
    """Depth first, in the order the tree gives (which is the order on screen)."""
    found = []
    stack = [acc]
    while stack:
        node = stack.pop()
        if pred(node):
            found.append(node)
        if prune is not None and prune(node):
            continue
        stack.extend(reversed(children(node)))
    return found


def role(acc):
    return acc.getRoleName()


def text_of(acc):
    """What a screen reader says for a leaf: its accessible name, else its text."""
    if acc.name:
        return acc.name
    try:
        text = acc.queryText()
        return text.getText(0, text.characterCount)
    except NotImplementedError:
        return ""


def dump(acc, out, depth=0):
    line = f"{'  ' * depth}[{role(acc)}] name={acc.name!r}"
    if acc.description:
        line += f" description={acc.description!r}"
    out.write(line + "\n")
    for child in children(acc):
        dump(child, out, depth + 1)


def find_app(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for app in children(desktop):
        try:
            if app.get_process_id() == pid:
                return app
        except GLib.GError:
            pass  # an application leaving the bus
    return None


def sidebar_lists(window):
    """The sidebar's two lists: "All Feeds" (a GtkListBox), then the feeds (a GtkListView):
    role list, with list items; the item list of the column view has table rows."""
    lists = descendants(window, lambda a: role(a) == "list")
    return [l for l in lists if any(role(c) == "list item" for c in children(l))]


def feed_list(window):
    lists = sidebar_lists(window)
    return lists[-1] if len(lists) >= 2 else None


def item_rows(window):
    """The live list's rows, each a dict of cell texts by column title (a column view: a tree
    table holding a header row of column titles, then a list of table rows of table cells, each
    cell holding its widget)."""
    rows = []
    for table in descendants(window, lambda a: role(a) == "tree table"):
        titles = []
        for part in children(table):
            if role(part) == "table row":  # the header
                titles = [" ".join(text_of(l) for l in descendants(t, lambda a: role(a) == "label"))
                          for t in children(part)]
            elif role(part) == "list":
                for row in children(part):
                    cells = [c for c in children(row) if role(c) == "table cell"]
                    texts = [" ".join(text_of(leaf) for leaf in children(c)) for c in cells]
                    rows.append(dict(zip(titles, texts)))
    return rows


# The accessibility bus -------------------------------------------------------------------------

def a11y_bus_address():
    """org.a11y.Bus on the session bus gives the accessibility bus's address."""
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    reply = bus.call_sync("org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus", "GetAddress",
                          None, GLib.VariantType.new("(s)"), Gio.DBusCallFlags.NONE,
                          int(10000 * SLOWDOWN), None)
    return reply.unpack()[0]


def ensure_a11y_bus():
    """Returns a launcher process we started, or None when D-Bus activation provided one."""
    try:
        note(f"accessibility bus (activated): {a11y_bus_address()}")
        return None
    except GLib.GError as e:
        note(f"org.a11y.Bus not activatable ({e.message}); starting at-spi-bus-launcher")
    for path in ("/usr/libexec/at-spi-bus-launcher", "/usr/lib/at-spi2-core/at-spi-bus-launcher"):
        if os.access(path, os.X_OK):
            launcher = subprocess.Popen([path, "--launch-immediately"])
            wait_for("the accessibility bus to appear", lambda: (True, a11y_bus_address()))
            return launcher
    raise RuntimeError("no at-spi-bus-launcher: install at-spi2-core")


def quit_app():
    """The app's quit action, as the Main Menu or Ctrl+Q runs it, over the session bus."""
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    bus.call_sync(APP_ID, OBJECT_PATH, "org.gtk.Actions", "Activate",
                  GLib.Variant("(sava{sv})", ("quit", [], {})), None, Gio.DBusCallFlags.NONE,
                  int(10000 * SLOWDOWN), None)


def hold_display():
    """An X connection held while the test runs, opened as soon as the display takes one (with a
    deadline): Xvfb resets whenever its last client leaves, and a window that connects in that
    moment is refused ("cannot open display"). Returns a function that lets it go."""
    if not os.environ.get("DISPLAY"):
        return lambda: None
    x11 = ctypes.CDLL("libX11.so.6")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    deadline = time.monotonic() + DEADLINE
    display = x11.XOpenDisplay(None)
    while not display:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the display {os.environ['DISPLAY']} takes no connection")
        time.sleep(0.05)
        display = x11.XOpenDisplay(None)
    return lambda: x11.XCloseDisplay(display)


def end_with_parent():
    """In the child: SIGTERM when the test's process dies (PR_SET_PDEATHSIG)."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)


# The test ---------------------------------------------------------------------------------------

def run(tmp):
    log_path = os.path.join(tmp, "a11y-test.log")
    with open(log_path, "w") as f:
        f.write("".join(line + "\n" for line in LOG_LINES))
    log_title = os.path.basename(log_path)

    env = dict(os.environ)
    # The suite turns the bridge off for the other tests; this one is about it
    env.pop("NO_AT_BRIDGE", None)
    env.pop("GTK_A11Y", None)
    if APP_G_DEBUG is not None:
        env["G_DEBUG"] = APP_G_DEBUG
    env.update(HOME=tmp, XDG_CONFIG_HOME=os.path.join(tmp, "config"),
               XDG_DATA_HOME=os.path.join(tmp, "data"), XDG_CACHE_HOME=os.path.join(tmp, "cache"),
               GSETTINGS_BACKEND="memory")
    release_display = hold_display()
    # Its output goes to stderr, away from the TAP on stdout; it ends if this test dies
    app = subprocess.Popen([os.environ["FEEDWATCH_BIN"], log_path, f"cmd:{COMMAND}"], env=env,
                           stdout=sys.stderr, preexec_fn=end_with_parent)
    try:
        check_window(app, log_title, log_path)
    finally:
        while n_run < N_TESTS - 1:
            report(False, "not reached")
        if app.poll() is None:
            try:
                quit_app()
            except GLib.GError as e:
                note(f"quit action failed ({e.message}); sending SIGTERM")
                app.send_signal(signal.SIGTERM)
            try:
                status = app.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                app.kill()
                status = app.wait()
                note("feedwatch did not quit in time: killed")
        else:
            status = app.returncode
        report(status == 0, "feedwatch quits through its quit action with status 0",
               None if status == 0 else f"exit status {status}")
        release_display()


def check_window(app, log_title, log_path):
    def probe_window():
        if app.poll() is not None:
            raise RuntimeError(f"feedwatch exited early with status {app.returncode}")
        acc = find_app(app.pid)
        if acc is None:
            return False, "no application with our process id on the accessibility bus"
        acc.clear_cache()
        frames = [w for w in children(acc) if role(w) == "frame" and w.name == "Feedwatch"]
        if frames:
            return True, frames[0]
        return False, [f"[{role(w)}] {w.name!r}" for w in children(acc)]

    try:
        window = wait_for("a window named Feedwatch", probe_window)
        report(True, "the application's window \"Feedwatch\" is on the accessibility bus")
    except Timeout as e:
        report(False, "the application's window \"Feedwatch\" is on the accessibility bus", e)
        return
    root = window.parent

    # (c) The failure toast is readable, and says why; first, as it lasts a few seconds
    def probe_toast():
        root.clear_cache()
        # Outside the sidebar and the live list, which say it too
        labels = descendants(window, lambda a: role(a) == "label" and "failed" in a.name,
                             prune=lambda a: role(a) in ("list", "tree table"))
        return any("There is no command “fw-no-such-command”" in l.name for l in labels), \
            [l.name for l in labels]

    try:
        toast = wait_for("a toast saying why the command failed", probe_toast)
        report(True, "the failure toast says why the command failed", f"toast: {toast}")
    except Timeout as e:
        report(False, "the failure toast says why the command failed", e)

    # (a) The sidebar names each row by its feed's title
    def probe_sidebar():
        root.clear_cache()
        feeds = feed_list(window)
        if feeds is None:
            return False, "no sidebar list"
        names = [row.name for row in children(feeds) if role(row) == "list item"]
        all_feeds = descendants(window, lambda a: role(a) == "list item" and a.name == "All Feeds",
                                prune=lambda a: role(a) == "tree table")
        return log_title in names and COMMAND in names and len(all_feeds) == 1, \
            names + [a.name for a in all_feeds]

    try:
        names = wait_for("the sidebar's rows named by feed", probe_sidebar)
        report(True, "the sidebar's rows are named: All Feeds, then the feeds' titles", f"rows: {names}")
    except Timeout as e:
        report(False, "the sidebar's rows are named: All Feeds, then the feeds' titles", e)

    # The command feed's row says why it failed; the log row's badges say what they count
    def probe_row_details():
        root.clear_cache()
        feeds = feed_list(window)
        rows = {row.name: row for row in children(feeds) if role(row) == "list item"}
        if COMMAND not in rows or log_title not in rows:
            return False, sorted(rows)
        command_description = rows[COMMAND].description
        badges = [l.name for l in descendants(rows[log_title], lambda a: role(a) == "label")]
        return ("There is no command “fw-no-such-command”" in command_description
                and "1 error" in badges and "1 warning" in badges,
                {"command row description": command_description, "log row labels": badges})

    try:
        seen = wait_for("the rows' descriptions and badges", probe_row_details)
        report(True, "a failed feed's row is described by its reason; badges say what they count",
               repr(seen))
    except Timeout as e:
        report(False, "a failed feed's row is described by its reason; badges say what they count",
               e)

    # (b) Selecting the log feed, through the list's Selection interface as an assistive
    # technology does, shows its three lines in order
    def probe_selected():
        root.clear_cache()
        feeds = feed_list(window)
        items = [row for row in children(feeds) if role(row) == "list item"]
        # By the title the row shows, not by its name, which is checked above
        index = next((i for i, row in enumerate(items)
                      if any(l.name == log_title
                             for l in descendants(row, lambda a: role(a) == "label"))), None)
        if index is None:
            return False, "no row named after the log feed"
        selection = feeds.querySelection()
        if not items[index].getState().contains(pyatspi.STATE_SELECTED):
            selection.selectChild(index)
        # Items have a time; the marker rows ("Start of history") do not. A feed's own view
        # hides the Feed column; where it is shown, it must name this feed.
        rows = [r for r in item_rows(window) if r.get("Time")]
        texts = [r.get("Text") for r in rows]
        others = [r for r in rows if r.get("Feed", log_title) != log_title]
        return texts == LOG_LINES and not others, rows

    try:
        rows = wait_for("the log feed's three lines in the list", probe_selected)
        report(True, "selecting the log feed shows its three lines, in order",
               "\n".join(" | ".join(f"{k}: {v}" for k, v in r.items()) for r in rows))
        levels = [r.get("Level") for r in rows]
        report(levels == LEVELS, "the Level cells read info, warning, error",
               f"levels: {levels}")
    except Timeout as e:
        report(False, "selecting the log feed shows its three lines, in order", e)
        report(False, "the Level cells read info, warning, error", "no rows to read")

    # (c) Selecting a row of the live list the same way opens the details pane: a panel named
    # "Item Details" that reads the row's whole text, with a named close button
    def probe_details():
        root.clear_cache()
        for table in descendants(window, lambda a: role(a) == "tree table"):
            for part in children(table):
                if role(part) != "list":
                    continue
                rows = children(part)
                texts = [" ".join(text_of(leaf) for c in children(row)
                                  if role(c) == "table cell" for leaf in children(c))
                         for row in rows]
                index = next((i for i, t in enumerate(texts) if LOG_LINES[-1] in t), None)
                if index is not None and \
                        not rows[index].getState().contains(pyatspi.STATE_SELECTED):
                    part.querySelection().selectChild(index)
        panels = descendants(window, lambda a: a.name == "Item Details")
        if not panels:
            return False, "no “Item Details” panel"
        texts = [text_of(a) for a in descendants(panels[0], lambda a: role(a) == "label")]
        buttons = [a.name for a in descendants(panels[0], lambda a: role(a) == "push button")]
        return LOG_LINES[-1] in texts and "Close Details" in buttons, texts + buttons

    try:
        seen = wait_for("the details pane of the error line", probe_details)
        report(True, "selecting a row opens “Item Details” with its text and a named close button",
               " | ".join(seen))
    except Timeout as e:
        report(False, "selecting a row opens “Item Details” with its text and a named close button",
               e)

    # Every control on screen (the details pane open) has a name a person understands: not empty, not the widget's
    # type, which is what GTK says of a control nobody named
    def probe_named():
        root.clear_cache()
        unnamed = []
        for node in descendants(window, lambda a: role(a) in INTERACTIVE_ROLES):
            # GTK 4.8 says "visible", never "showing"
            if not node.getState().contains(pyatspi.STATE_VISIBLE):
                continue
            # libadwaita 1.2's own toast has an unnamed dismiss button (a later version names it)
            if (node.parent is not None and node.parent.name == "AdwToastWidget"
                    and node.name in ("", "GtkImage")):
                continue
            checked.add(role(node))
            if not node.name.strip() or TYPE_NAME.match(node.name) or "_" in node.name:
                unnamed.append(f"[{role(node)}] {node.name!r} in [{role(node.parent)}] {node.parent.name!r}")
        return not unnamed, unnamed

    checked = set()
    try:
        wait_for("every control named", probe_named)
        report(True, "every control on screen has a name of its own", f"roles checked: {sorted(checked)}")
    except Timeout as e:
        report(False, "every control on screen has a name of its own", e)

    check_announcements(window, log_path)

    dump_to = os.environ.get("FW_A11Y_DUMP")
    if dump_to:
        root.clear_cache()
        with open(dump_to, "w") as out:
            dump(root, out)
        note(f"accessibility tree written to {dump_to}")


def check_announcements(window, log_path):
    """New items are announced politely, through the status object's name changes (what GTK 4.8
    can tell a screen reader): not while the list is paused (selecting a row above paused it);
    once it is live again, a flood of lines into the log feed it shows is announced a few times,
    not per item, and what is said adds up to the lines that came."""
    log_title = os.path.basename(log_path)
    pattern = re.compile(r"^(\d+) new items? in " + re.escape(log_title) + "$")
    heard = []  # (time, text)

    def on_name_changed(event):
        try:
            if event.source is not None and role(event.source) == "status bar" and \
                    event.source.name:
                heard.append((time.monotonic(), event.source.name))
        except GLib.GError:
            pass

    def pump():
        context = GLib.MainContext.default()
        while context.iteration(False):
            pass

    def flood(log, seconds, first):
        n = 0
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            log.write("".join(f"2026-03-01T10:01:00Z INFO flood line {first + n + i}\n"
                              for i in range(FLOOD_LINES)))
            log.flush()
            n += FLOOD_LINES
            pump()
            time.sleep(FLOOD_TICK)
        return n, start, time.monotonic()

    def pump_until(what, probe):
        def pumped():
            pump()
            return probe()
        return wait_for(what, pumped)

    def jump_buttons():
        # Rows come and go under a flood: a walk that meets one just gone starts again
        for _ in range(10):
            try:
                window.parent.clear_cache()
                return [b for b in descendants(window, lambda a: role(a) == "push button")
                        if "jump to live" in b.name.lower()]
            except GLib.GError:
                pump()
        raise Timeout("the window's buttons could not be walked: rows kept going away")

    listener = pyatspi.Atspi.EventListener.new(on_name_changed)
    listener.register("object:property-change:accessible-name")
    try:
        note(f"window active: {window.getState().contains(pyatspi.STATE_ACTIVE)}")
        with open(log_path, "a") as log:
            # Paused: a flood says nothing (the jump button counts it)
            pump()
            heard.clear()
            n_paused, _, _ = flood(log, 2.0, 0)
            try:
                pump_until(f"the jump button to count {n_paused} new items",
                           lambda: (any(b.name.startswith(f"{n_paused} new items")
                                        for b in jump_buttons()),
                                    [b.name for b in jump_buttons()]))
                time.sleep(1.5)  # a second tick: what came while paused is not kept for later
                pump()
                report(not heard, "a paused list announces nothing of a flood",
                       f"{n_paused} lines; heard {[t for _, t in heard]}")
            except Timeout as e:
                report(False, "a paused list announces nothing of a flood", e)
                return

            # Live again
            buttons = jump_buttons()
            buttons[0].queryAction().doAction(0)
            pump_until("the list to be live again", lambda: (not jump_buttons(), None))
            heard.clear()
            n_written, start, end = flood(log, FLOOD_SECONDS, n_paused)

        def said():
            return [t for _, t in heard]

        def total():
            return sum(int(m.group(1)) for m in map(pattern.match, said()) if m)

        # What came since the last announcement is said at the next one
        try:
            pump_until(f"announcements adding up to {n_written} items",
                       lambda: (total() >= n_written, said()))
        except Timeout:
            pass
        during = [t for when, t in heard if when <= end]
        bound = 1 + int((end - start) / 2)
        ok = (0 < len(during) <= bound and all(pattern.match(t) for t in said())
              and total() == n_written)
        report(ok, "a flood into a live list is announced a few times, saying how many came",
               f"{n_written} lines in {end - start:.1f} s; heard during the flood {len(during)} "
               f"(at most {bound}); in all: {said()}")
    finally:
        listener.deregister("object:property-change:accessible-name")


def main():
    if "FEEDWATCH_BIN" not in os.environ:
        print("1..0 # SKIP FEEDWATCH_BIN is not set (run through meson test)")
        return 0
    print(f"1..{N_TESTS}", flush=True)
    tmp = tempfile.mkdtemp(prefix="fw-a11y-")
    launcher = None
    try:
        launcher = ensure_a11y_bus()
        run(tmp)
    except Exception as e:  # a broken setup fails what is left, and says why
        note(f"error: {type(e).__name__}: {e}")
        while n_run < N_TESTS:
            report(False, "not reached")
    finally:
        if launcher is not None:
            launcher.terminate()
            launcher.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if n_failed else 0


if __name__ == "__main__":
    sys.exit(main())
