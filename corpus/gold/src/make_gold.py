#!/usr/bin/env python3
"""Turns a hand-written mention list (surface | TYPE | value, in text order) into stand-off JSON.

Each surface is searched after the end of the previous mention, at word boundaries, so the
list must follow the text. The value is stored as feature FEATURE of layer LAYER (default:
entities, entity). Usage: make_gold.py TEXT LIST OUT.json [LAYER FEATURE]
"""
import hashlib, json, re, sys

text_path, list_path, out_path = sys.argv[1:4]
layer, feature = (sys.argv[4], sys.argv[5]) if len(sys.argv) > 5 else ('entities', 'entity')
raw = open(text_path, 'rb').read()
text = raw.decode('utf-8')
items, pos = [], 0
for n, line in enumerate(open(list_path, encoding='utf-8'), 1):
    line = line.strip()
    if not line or line.startswith('#'):
        continue
    surface, typ, ent = [p.strip() for p in line.split('|')]
    m = re.compile(r'(?<!\w)' + re.escape(surface) + r'(?!\w)').search(text, pos)
    if not m:
        sys.exit(f'{list_path}:{n}: "{surface}" not found after offset {pos}')
    b, e = m.start(), m.end()
    b8, e8 = len(text[:b].encode()), len(text[:e].encode())
    items.append({'id': f'e{len(items) + 1}', 'type': typ, 'span': [b, e], 'utf8': [b8, e8],
                  'text': surface, feature: ent})
    pos = e
doc = {'schema': 'quarry.standoff/1',
       'generator': {'name': 'hand annotation', 'version': '1'},
       'document': {'id': text_path, 'sha256': hashlib.sha256(raw).hexdigest(),
                    'length': {'codepoint': len(text), 'utf8': len(raw),
                               'utf16': len(text.encode('utf-16-le')) // 2},
                    'dct': None, 'bom': False},
       'offsets': {'unit': 'codepoint', 'end': 'exclusive'},
       layer: items}
with open(out_path, 'w', encoding='utf-8') as f:
    json.dump(doc, f, ensure_ascii=False, indent=1)
    f.write('\n')
print(f'{out_path}: {len(items)} {layer}')
