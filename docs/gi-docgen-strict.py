#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Runs gi-docgen so that any warning fails: `gi-docgen-strict.py GI_DOCGEN check|generate ARGS…`.

`check` runs `gi-docgen check --fatal-warnings`; when it fails, it lists every warning (gi-docgen
stops at the first one when warnings are fatal) and how many there are. `generate` does the same
check first, then generates the reference with --fatal-warnings."""

import re
import subprocess
import sys

ANSI = re.compile(r'\x1b\[[0-9;]*m')


def run(cmd):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc.returncode, ANSI.sub('', proc.stdout)


def check(gi_docgen, args):
    """Returns 0 when gi-docgen finds nothing to warn about, else prints the warnings."""
    # `check` takes the config and the GIR, not generate's output options.
    check_args = []
    skip = False
    for i, arg in enumerate(args):
        if skip:
            skip = False
            continue
        if arg in ('--content-dir', '--output-dir', '--templates-dir', '--theme-name',
                   '--section'):
            skip = True
            continue
        if arg == '--no-namespace-dir':
            continue
        check_args.append(arg)
    status, _ = run([gi_docgen, 'check', '--quiet', '--fatal-warnings'] + check_args)
    if status == 0:
        return 0
    _, output = run([gi_docgen, 'check', '--quiet'] + check_args)
    warnings = [line for line in output.splitlines() if line.startswith('WARNING')]
    for line in warnings:
        print(line, file=sys.stderr)
    if warnings:
        count = f'{len(warnings)} warning' + ('' if len(warnings) == 1 else 's')
        print(f'gi-docgen: {count}: document each symbol, parameter and return '
              'value above (gtk-doc comments in streams/, beside the function or type)',
              file=sys.stderr)
    else:
        print(output, file=sys.stderr)
        print('gi-docgen check failed; its output is above', file=sys.stderr)
    return 1


def main():
    if len(sys.argv) < 3 or sys.argv[2] not in ('check', 'generate'):
        print('usage: gi-docgen-strict.py GI_DOCGEN check|generate ARGS…', file=sys.stderr)
        return 2
    gi_docgen, mode, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    if check(gi_docgen, args) != 0:
        return 1
    if mode == 'generate':
        status, output = run([gi_docgen, 'generate', '--quiet', '--fatal-warnings'] + args)
        if status != 0:
            print(output, file=sys.stderr)
            return status
    return 0


if __name__ == '__main__':
    sys.exit(main())
