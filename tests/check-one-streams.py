#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-one-streams.py LIBRARY BINARY…: the app takes streams/ from libfeedwatch-streams-0.so.

Each BINARY (the feedwatch executable, the window module) must load LIBRARY (a NEEDED entry
naming its soname) and define none of the functions LIBRARY exports: a second copy of streams/
in the process would register every stream GType twice (GLib aborts) or split the close
registry in two. Prints TAP."""

import subprocess
import sys


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def soname(library):
    for line in run('readelf', '-d', library).splitlines():
        if '(SONAME)' in line:
            return line.split('[', 1)[1].rstrip(']')
    sys.exit(f'Bail out! {library} has no SONAME')


def needed(binary):
    return {line.split('[', 1)[1].rstrip(']')
            for line in run('readelf', '-d', binary).splitlines() if '(NEEDED)' in line}


def defined(binary, dynamic):
    args = ['nm', '--defined-only'] + (['-D'] if dynamic else []) + [binary]
    out = subprocess.run(args, capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in 'TtDdBbRrVW':
            names.add(parts[2].split('@')[0])
    return names


def main():
    library, binaries = sys.argv[1], sys.argv[2:]
    name = soname(library)
    exported = {n for n in defined(library, True) if n.startswith('fw_')}
    print(f'1..{2 * len(binaries)}')
    n = failed = 0
    for binary in binaries:
        n += 1
        if name in needed(binary):
            print(f'ok {n} - {binary} loads {name}')
        else:
            failed += 1
            print(f'not ok {n} - {binary} does not load {name}: it links streams/ statically')
        n += 1
        # The full symbol table when there is one (a build tree's binary), else the dynamic one
        own = (defined(binary, False) or defined(binary, True)) & exported
        if not own:
            print(f'ok {n} - {binary} has no copy of the library\'s {len(exported)} functions')
        else:
            failed += 1
            print(f'not ok {n} - {binary} has its own copy of {len(own)} functions of {name}, '
                  f'e.g. {", ".join(sorted(own)[:5])}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
