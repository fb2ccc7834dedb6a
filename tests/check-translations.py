#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-translations.py SOURCE_ROOT: nothing a user reads escapes the catalogue. TAP output.

- every user-visible property, menu label and string-list item of every .ui file says whether it
  is translatable; "no" only with a comment saying why (a sign, a proper name);
- po/POTFILES.in lists every file that marks strings, and nothing that does not exist;
- each language of po/LINGUAS builds (msgfmt --check), with its format strings intact;
- po/de.po is complete against the sources as they are now: merged with a catalogue freshly
  extracted from po/POTFILES.in, it has no untranslated and no fuzzy message (German is the
  proof that nothing a user reads escapes translation; other languages may lag)."""
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = sys.argv[1]
COMPLETE = ('de',)
# As Meson's i18n.gettext(preset: 'glib') extracts them (po/meson.build)
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments', '-k_', '--keyword=N_', '--keyword=C_:1c,2',
    '--keyword=NC_:1c,2', '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3', '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format', '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format', '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format', '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format', '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format', '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format', '--flag=g_fprintf:2:c-format', '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]
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


def statistics(text):
    """msgfmt --statistics' line: "12 translated messages, 1 fuzzy translation, 3 untranslated
    messages." as (translated, fuzzy, untranslated)"""
    counts = {}
    for number, word in re.findall(r'(\d+) (translated|fuzzy|untranslated)', text):
        counts[word] = int(number)
    return counts.get('translated', 0), counts.get('fuzzy', 0), counts.get('untranslated', 0)


with tempfile.TemporaryDirectory() as tmp:
    pot = os.path.join(tmp, 'feedwatch.pot')
    out = subprocess.run(['xgettext', '--package-name=feedwatch', '-D', ROOT,
                          '-f', os.path.join(ROOT, 'po', 'POTFILES.in'), '-o', pot]
                         + XGETTEXT_ARGS, capture_output=True, text=True)
    check(out.returncode == 0, 'the catalogue is extracted from po/POTFILES.in',
          out.stderr.strip())
    for language in COMPLETE:
        if out.returncode != 0:
            break
        merged = os.path.join(tmp, language + '.po')
        subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', merged,
                        os.path.join(ROOT, 'po', language + '.po'), pot],
                       check=True, capture_output=True)
        stats = subprocess.run(['msgfmt', '--check', '--statistics', '-o', os.devnull, merged],
                               capture_output=True, text=True)
        translated, fuzzy, untranslated = statistics(stats.stderr)
        check(stats.returncode == 0 and translated > 0 and fuzzy == 0 and untranslated == 0,
              f'po/{language}.po translates every message of the sources',
              f'{translated} translated, {fuzzy} fuzzy, {untranslated} untranslated; after '
              f'`meson compile -C _build feedwatch-update-po`, translate or fix the rest: '
              + stats.stderr.strip().replace('\n', ' '))

print(f'1..{len(results)}')
for number, (ok, what, why) in enumerate(results, 1):
    print(f'{"ok" if ok else "not ok"} {number} {what}')
    if not ok and why:
        print('# ' + why)
sys.exit(0 if all(ok for ok, _, _ in results) else 1)
