#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-translations.py SOURCE_ROOT: nothing a user reads escapes the catalogue. TAP output.

- every user-visible property, menu label and string-list item of every .ui file says whether it
  is translatable; "no" only with a comment saying why (a sign, a proper name);
- po/POTFILES.in lists every file that marks strings, and nothing that does not exist;
- each language of po/LINGUAS builds (msgfmt --check), with its format strings intact."""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = sys.argv[1]
VISIBLE = {'label', 'title', 'tooltip-text', 'placeholder-text', 'subtitle', 'description',
           'text', 'heading', 'body', 'secondary-text', 'tooltip-markup'}
MARKS = re.compile(r'\b(?:N?_|C_|NC_|ngettext)\s*\(\s*"|\bg_dngettext\s*\(\s*\w+\s*,\s*"'
                   r'|translatable="yes"')

results = []


def check(ok, what, why=''):
    results.append((ok, what, why))


def walk(*dirs, exts):
    for d in dirs:
        for dirpath, _, names in os.walk(os.path.join(ROOT, d)):
            for name in sorted(names):
                if name.endswith(exts):
                    yield os.path.relpath(os.path.join(dirpath, name), ROOT)


def ui_strings(path):
    tree = ET.parse(os.path.join(ROOT, path))
    parent = {child: node for node in tree.iter() for child in node}
    for node in tree.iter():
        text = (node.text or '').strip()
        if not text:
            continue
        if node.tag == 'property' and node.get('name') in VISIBLE:
            yield node, text
        elif node.tag == 'attribute' and node.get('name') == 'label':
            yield node, text
        elif node.tag == 'item' and parent.get(node) is not None and parent[node].tag == 'items':
            yield node, text


for path in walk('ui', exts=('.ui',)):
    bad = []
    for node, text in ui_strings(path):
        flag = node.get('translatable')
        if flag == 'yes' or (flag == 'no' and node.get('comments')):
            continue
        bad.append(text)
    check(not bad, f'{path}: every visible string is marked translatable',
          'unmarked: ' + ', '.join(repr(t) for t in bad[:5]))

with open(os.path.join(ROOT, 'po', 'POTFILES.in'), encoding='utf-8') as f:
    listed = {line.strip() for line in f if line.strip() and not line.startswith('#')}
marking = set()
for path in walk('app', 'ui', 'streams', exts=('.c', '.ui')):
    with open(os.path.join(ROOT, path), encoding='utf-8') as f:
        if MARKS.search(f.read()):
            marking.add(path)
missing = sorted(marking - listed)
check(not missing, 'po/POTFILES.in lists every file that marks strings',
      'missing: ' + ', '.join(missing))
gone = sorted(p for p in listed if not os.path.exists(os.path.join(ROOT, p)))
check(not gone, 'po/POTFILES.in lists only files that exist', 'gone: ' + ', '.join(gone))

with open(os.path.join(ROOT, 'po', 'LINGUAS'), encoding='utf-8') as f:
    languages = [w for line in f if not line.startswith('#') for w in line.split()]
for language in languages:
    po = os.path.join(ROOT, 'po', language + '.po')
    out = subprocess.run(['msgfmt', '--check', '--statistics', '-o', os.devnull, po],
                         capture_output=True, text=True)
    check(out.returncode == 0, f'po/{language}.po builds', out.stderr.strip())

print(f'1..{len(results)}')
for number, (ok, what, why) in enumerate(results, 1):
    print(f'{"ok" if ok else "not ok"} {number} {what}')
    if not ok and why:
        print('# ' + why)
sys.exit(0 if all(ok for ok, _, _ in results) else 1)
