#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that everything the desktop integration and the UI refer to exists.

- the desktop file's Icon= and the metainfo's <icon>/<launchable> name files we ship;
- the app icon exists as a scalable SVG and as a symbolic SVG in data/icons;
- the metainfo's screenshots name files in data/screenshots/ (skipped while that folder
  does not exist yet);
- every <file> in every *.gresource.xml exists;
- every resource path ("/io/github/feedwatch/Feedwatch/...") in C sources and .ui files is in a
  gresource.xml, and every .ui file beside the code is in one (else it is dead or missing);
- every "*-symbolic" icon name used in C sources and .ui files is ours or in an icon theme
  the runtime ships (Adwaita, hicolor), when that theme is installed where we run;
- nothing the build, the tests, CI or the Flatpak manifest reads lies outside the repository
  (a user's clone has nothing beside it), and the data the tests read is in tests/data.

Usage: check-references.py SOURCE_ROOT. Prints TAP.
"""

import configparser
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

APP_ID = "io.github.feedwatch.Feedwatch"
RESOURCE_PREFIX = "/io/github/feedwatch/Feedwatch/"

root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
data = os.path.join(root, "data")
results = []


def check(ok, what, detail=""):
    results.append((bool(ok), what, detail))


def skip(what, why):
    results.append((None, what, why))


def sources(*dirs, exts=(".c", ".h", ".ui")):
    for d in dirs:
        top = os.path.join(root, d)
        for dirpath, _, names in os.walk(top):
            for n in sorted(names):
                if n.endswith(exts):
                    yield os.path.join(dirpath, n)


# The desktop file and its icon.
desktop = configparser.ConfigParser(interpolation=None, strict=False)
desktop.optionxform = str
desktop.read(sys.argv[2], encoding="utf-8")
entry = desktop["Desktop Entry"]
icon = entry.get("Icon", "")
check(icon == APP_ID, "desktop Icon= is the app id", icon)
scalable = os.path.join(data, "icons", "hicolor", "scalable", "apps", icon + ".svg")
symbolic = os.path.join(data, "icons", "hicolor", "symbolic", "apps", icon + "-symbolic.svg")
for path in (scalable, symbolic):
    check(os.path.isfile(path), "icon exists: " + os.path.relpath(path, root))
    if os.path.isfile(path):
        svg = ET.parse(path).getroot()
        check(svg.tag.endswith("svg"), "icon is SVG: " + os.path.relpath(path, root))
check(entry.get("DBusActivatable") == "true", "desktop file is DBusActivatable")
check(os.path.isfile(os.path.join(data, APP_ID + ".service.in")), "D-Bus service file exists")

# The metainfo.
meta = ET.parse(sys.argv[3]).getroot()
check(meta.findtext("id") == APP_ID, "metainfo id is the app id")
for launchable in meta.findall("launchable"):
    name = launchable.text.strip()
    check(os.path.isfile(os.path.join(data, name + ".in")), "metainfo launchable exists: " + name)
for ic in meta.findall("icon"):
    if ic.get("type") == "stock":
        check(ic.text.strip() == APP_ID, "metainfo stock icon is ours: " + ic.text.strip())
shots_dir = os.path.join(data, "screenshots")
for image in meta.findall("screenshots/screenshot/image"):
    url = image.text.strip()
    m = re.search(r"/data/screenshots/([^/]+)$", url)
    check(m is not None, "screenshot URL points into data/screenshots/: " + url)
    if m is None:
        continue
    if os.path.isdir(shots_dir):
        check(os.path.isfile(os.path.join(shots_dir, m.group(1))), "screenshot exists: data/screenshots/" + m.group(1))
    else:
        skip("screenshot exists: data/screenshots/" + m.group(1), "data/screenshots/ not added yet")

# GResources.
listed = set()
code_dirs = [d for d in ("app", "ui", "streams", "data") if os.path.isdir(os.path.join(root, d))]
for gres in sources(*code_dirs, exts=(".gresource.xml",)):
    base = os.path.dirname(gres)
    for res in ET.parse(gres).getroot().findall("gresource"):
        prefix = res.get("prefix", "/").rstrip("/") + "/"
        for f in res.findall("file"):
            name = f.text.strip()
            check(os.path.isfile(os.path.join(base, name)), "resource file exists: " + os.path.relpath(os.path.join(base, name), root))
            listed.add(prefix + (f.get("alias") or name))

for path in sources(*code_dirs):
    text = open(path, encoding="utf-8").read()
    for res in sorted(set(re.findall(r'"(' + re.escape(RESOURCE_PREFIX) + r'[^"]+)"', text))):
        # A file, or a folder (e.g. an icon theme path) that holds at least one bundled file.
        folder = res.rstrip("/") + "/"
        check(res in listed or any(r.startswith(folder) for r in listed),
              "resource referenced in %s is bundled: %s" % (os.path.relpath(path, root), res))

for path in sources(*code_dirs, exts=(".ui",)):
    check(any(r.endswith("/" + os.path.basename(path)) for r in listed), ".ui file is in a gresource: " + os.path.relpath(path, root))

# Symbolic icon names.
ours = {APP_ID + "-symbolic"}
theme_dirs = [d for d in os.environ.get("XDG_DATA_DIRS", "/usr/local/share:/usr/share").split(":") if d]
themes = [os.path.join(d, "icons", t) for d in theme_dirs for t in ("Adwaita", "hicolor")]
themes = [t for t in themes if os.path.isdir(t)]
theme_icons = set()
for t in themes:
    for dirpath, _, names in os.walk(t):
        for n in names:
            if n.endswith((".svg", ".png")):
                theme_icons.add(n.rsplit(".", 1)[0])
used = {}
for path in sources(*code_dirs):
    for name in re.findall(r'[">]([a-z0-9][a-z0-9-]*-symbolic)["<]', open(path, encoding="utf-8").read()):
        used.setdefault(name, os.path.relpath(path, root))
for name, where in sorted(used.items()):
    if name in ours:
        check(True, "icon %s (in %s) is ours" % (name, where))
    elif any(t.endswith("/Adwaita") for t in themes):
        check(name in theme_icons, "icon %s (in %s) is in the Adwaita or hicolor theme" % (name, where))
    else:
        skip("icon %s (in %s)" % (name, where), "no Adwaita icon theme installed here")

# Self-contained: a clone is all a user has.
outside = re.compile(r"\.\./shared|FW_SHARED_DIR")
build_files = []
for dirpath, dirnames, filenames in os.walk(root):
    dirnames[:] = [d for d in dirnames if not d.startswith((".git", "_build", "build", ".flatpak"))
                   and d not in ("corpus", ".work")]
    for n in filenames:
        if n in ("meson.build", "Makefile", "run", "newcomer-smoke") or \
           n.endswith((".c", ".h", ".py", ".sh", ".json")) and not n.endswith("-vectors.json"):
            build_files.append(os.path.join(dirpath, n))
readers = []
for path in sorted(build_files):
    if os.path.samefile(path, __file__):
        continue
    with open(path, encoding="utf-8", errors="replace") as f:
        if outside.search(f.read()):
            readers.append(os.path.relpath(path, root))
check(not readers, "no build, test or CI file reads ../shared (%d read)" % len(build_files),
      ", ".join(readers))
manifest = json.load(open(os.path.join(root, "flatpak", APP_ID + ".json"), encoding="utf-8"))
for module in manifest.get("modules", []):
    for source in module.get("sources", []) if isinstance(module, dict) else []:
        where = os.path.normpath(os.path.join(root, "flatpak", source.get("path", ".")))
        check(where == root or where.startswith(root + os.sep),
              "Flatpak source %s is in the repository" % source.get("path"), where)
check(os.path.isfile(os.path.join(root, "tests", "data", "sse-vectors.json")),
      "the SSE conformance vectors are in tests/data")

print("1..%d" % len(results))
failed = 0
for i, (ok, what, detail) in enumerate(results, 1):
    if ok is None:
        print("ok %d - %s # SKIP %s" % (i, what, detail))
    elif ok:
        print("ok %d - %s" % (i, what))
    else:
        failed += 1
        print("not ok %d - %s%s" % (i, what, (": " + detail) if detail else ""))
sys.exit(1 if failed else 0)
