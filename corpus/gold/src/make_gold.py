#!/usr/bin/env python3
"""Turns a hand-written mention list (surface | TYPE | value, in text order) into stand-off JSON.

Each surface is searched after the end of the previous mention, at word boundaries, so the
list must follow the text. The value is stored as feature FEATURE of layer LAYER (default:
entities, entity). Usage: make_gold.py TEXT LIST OUT.json [LAYER FEATURE]

A line may carry three more fields, surface | TYPE | value | source | target | date (event
lists): source and target become "args" [{"role", "text", "span", "utf8"}] and date the
feature "date"; '-' means none and the arg or key is omitted. Each argument text is searched
at word boundaries within the sentence of the trigger (between the nearest '.', '!' or '?'
followed by whitespace, or line break, on either side), the occurrence nearest to the trigger
winning; an argument not found there, or a malformed date, stops the script with an error
naming the list line.
"""
import hashlib, json, re, sys

DATE_RE = re.compile(r'^\d{4}(-\d{2}(-\d{2})?)?$')
BOUNDARY = re.compile(r'[.!?](?=\s|$)|\n')

text_path, list_path, out_path = sys.argv[1:4]
layer, feature = (sys.argv[4], sys.argv[5]) if len(sys.argv) > 5 else ('entities', 'entity')
raw = open(text_path, 'rb').read()
text = raw.decode('utf-8')


def utf8(b, e):
    return [len(text[:b].encode()), len(text[:e].encode())]


def word(surface):
    return re.compile(r'(?<!\w)' + re.escape(surface) + r'(?!\w)')


def sentence(b, e):
    """The sentence around text[b:e]: from after the last boundary before b to the next one."""
    start = 0
    for m in BOUNDARY.finditer(text, 0, b):
        start = m.end()
    m = BOUNDARY.search(text, e)
    return start, (m.start() if m else len(text))


def locate_arg(arg, b, e, where):
    s, t = sentence(b, e)
    best = None
    for m in word(arg).finditer(text, s, t):
        d = b - m.end() if m.end() <= b else m.start() - e
        if best is None or abs(d) < abs(best[0]):
            best = (d, m.start(), m.end())
    if best is None:
        sys.exit(f'{where}: argument "{arg}" not found in the sentence of the trigger: '
                 f'{text[s:t]!r}')
    return best[1], best[2]


items, pos = [], 0
for n, line in enumerate(open(list_path, encoding='utf-8'), 1):
    line = line.strip()
    if not line or line.startswith('#'):
        continue
    where = f'{list_path}:{n}'
    fields = [p.strip() for p in line.split('|')]
    if len(fields) not in (3, 6):
        sys.exit(f'{where}: expected 3 or 6 fields, got {len(fields)}')
    surface, typ, ent = fields[:3]
    m = word(surface).search(text, pos)
    if not m:
        sys.exit(f'{where}: "{surface}" not found after offset {pos}')
    b, e = m.start(), m.end()
    item = {'id': f'e{len(items) + 1}', 'type': typ, 'span': [b, e], 'utf8': utf8(b, e),
            'text': surface, feature: ent}
    if len(fields) == 6:
        source, target, date = fields[3:]
        if date != '-':
            if not DATE_RE.match(date):
                sys.exit(f'{where}: bad date "{date}" (ISO YYYY, YYYY-MM or YYYY-MM-DD)')
            item['date'] = date
        args = []
        for role, arg in (('source', source), ('target', target)):
            if arg != '-':
                ab, ae = locate_arg(arg, b, e, where)
                args.append({'role': role, 'text': arg, 'span': [ab, ae], 'utf8': utf8(ab, ae)})
        if args:
            item['args'] = args
    items.append(item)
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
