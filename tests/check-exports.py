#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""check-exports.py MAP LIBRARY HEADER… (or --update MAP HEADER…): the shared streams library exports exactly what its
installed headers declare, through the explicit list in MAP (a linker version script).

Fails, naming the symbols, when a public function is missing from the list (users would get an
undefined symbol), when the list names something no header declares (a private symbol would
leak), or when the library exports anything outside the list."""

import os
import re
import subprocess
import sys

DECLARATION = re.compile(r'^[A-Za-z_][\w \t\*]*?\b(fw_[a-z0-9_]+)\s*\(', re.M)
DECLARE_TYPE = re.compile(r'G_DECLARE_(?:FINAL|DERIVABLE|INTERFACE)_TYPE\s*\(\s*\w+\s*,\s*(fw_\w+)')
MAP_ENTRY = re.compile(r'^\s*(fw_[a-z0-9_]+)\s*;', re.M)


def declared(headers):
    names = set()
    for path in headers:
        with open(path, encoding='utf-8') as f:
            text = f.read()
        # Comments may show calls at the start of a line: drop them first.
        text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
        text = re.sub(r'^\s*#.*$', '', text, flags=re.M)
        names.update(DECLARATION.findall(text))
        names.update(name + '_get_type' for name in DECLARE_TYPE.findall(text))
    return names


def listed(map_path):
    with open(map_path, encoding='utf-8') as f:
        return set(MAP_ENTRY.findall(f.read()))


def exported(library):
    out = subprocess.run(['nm', '-D', '--defined-only', library], check=True,
                         capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in 'TDBRVW':
            names.add(parts[2].split('@')[0])
    return names


def write_map(map_path, names):
    with open(map_path, encoding='utf-8') as f:
        text = f.read()
    head = text[:text.index('  global:\n') + len('  global:\n')]
    with open(map_path, 'w', encoding='utf-8') as f:
        f.write(head)
        f.writelines(f'    {name};\n' for name in sorted(names))
        f.write('  local:\n    *;\n};\n')


def main():
    # --update MAP HEADER…: rewrite the list from the headers (then review the diff)
    if sys.argv[1] == '--update':
        write_map(sys.argv[2], declared(sys.argv[3:]))
        return
    map_path, library, headers = sys.argv[1], sys.argv[2], sys.argv[3:]
    public, in_map, out = declared(headers), listed(map_path), exported(library)
    problems = [
        ('declared in an installed header but not in ' + map_path, public - in_map),
        ('in ' + map_path + ' but declared in no installed header', in_map - public),
        ('exported by the library but not in ' + map_path, {n for n in out - in_map
                                                            if not n.startswith('_')}),
        ('in ' + map_path + ' but not exported (not defined?)', in_map - out),
    ]
    # An installed header may include only installed headers.
    installed = {os.path.basename(h) for h in headers}
    for path in headers:
        with open(path, encoding='utf-8') as f:
            for included in re.findall(r'^#include "([^"]+)"', f.read(), re.M):
                if os.path.basename(included) not in installed:
                    problems.append((f'included by {os.path.basename(path)} but not installed '
                                     '(list it in streams/meson.build or include it elsewhere)',
                                     {included}))
    failed = False
    for what, names in problems:
        if names:
            failed = True
            print(f'{len(names)} symbol(s) {what}:')
            for name in sorted(names):
                print('  ' + name)
    if failed:
        sys.exit(1)
    print(f'{len(in_map)} symbols exported, all declared in {len(headers)} installed headers')


if __name__ == '__main__':
    main()
