#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when the `#include "..."` lines of streams/ go round in a circle.

Two kinds of circle count:

- header cycles: a.h includes b.h, which includes (perhaps through others) a.h. `#pragma once`
  hides them from the compiler, and then whichever is read first sees half of the other.
- module cycles: a module is a .c file with its headers (fw-foo.c, fw-foo.h, fw-foo-private.h).
  Module A depends on B when any file of A includes a header of B. A cycle among modules is two
  pieces of code that each need the other, as the bare-URL detector and the four sources it
  hands over to once did: the detector built them while they took their HTTP helpers from it.

Two exceptions, by name: the feed registry (fw-feed.c), which maps each kind's name to its
open function, is the composition root, and its edges to the sources are left out; and the
close registry is part of the stream module (its add and remove are private to
fw_stream_close_async()), so the two count as one. Nothing else is exempt.

Usage: check-include-cycles.py STREAMS_DIR
"""

import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)
# Modules whose includes do not count
ROOTS = {"fw-feed"}
# Modules that are parts of another
PARTS = {"fw-close-registry": "fw-stream"}


def module_of(path):
    stem = os.path.splitext(os.path.basename(path))[0]
    if stem.endswith("-private"):
        stem = stem[: -len("-private")]
    return PARTS.get(stem, stem)


def collect(top):
    files = []
    for dirpath, _, names in os.walk(top):
        files += [os.path.join(dirpath, n) for n in names if n.endswith((".c", ".h"))]
    return sorted(files)


def resolve(name, including, search):
    for base in [os.path.dirname(including)] + search:
        candidate = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(candidate):
            return candidate
    return None  # generated (fw-enums.h) or outside streams/


def find_cycle(graph):
    """A cycle of @graph (node → set of nodes) as a list of nodes, or None."""
    grey, black = set(), set()
    stack = []

    def visit(node):
        grey.add(node)
        stack.append(node)
        for succ in sorted(graph.get(node, ())):
            if succ in grey:
                return stack[stack.index(succ):] + [succ]
            if succ not in black:
                found = visit(succ)
                if found:
                    return found
        stack.pop()
        grey.discard(node)
        black.add(node)
        return None

    for node in sorted(graph):
        if node not in black:
            found = visit(node)
            if found:
                return found
    return None


def main():
    top = os.path.abspath(sys.argv[1])
    search = [top, os.path.join(top, "sources")]
    files = collect(top)
    headers = {}
    modules = {}
    for path in files:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        targets = set()
        for name in INCLUDE.findall(text):
            target = resolve(name, path, search)
            if target is not None and target != path:
                targets.add(target)
        if path.endswith(".h"):
            headers[path] = {t for t in targets if t.endswith(".h")}
        mod = module_of(path)
        deps = modules.setdefault(mod, set())
        if mod not in ROOTS:
            deps.update(module_of(t) for t in targets if module_of(t) != mod)

    failed = False
    cycle = find_cycle(headers)
    if cycle:
        print("header cycle: " + " → ".join(os.path.relpath(p, top) for p in cycle))
        failed = True
    cycle = find_cycle(modules)
    if cycle:
        print("module cycle: " + " → ".join(cycle))
        failed = True
    if not failed:
        print(f"no include cycle among {len(files)} files in {len(modules)} modules")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
