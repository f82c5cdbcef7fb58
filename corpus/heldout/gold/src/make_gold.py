#!/usr/bin/env python3
"""Turns the hand-written gold lists of the held-out set into stand-off JSON.

For every story NAME with corpus/heldout/NAME.txt and NAME.meta.json, reads
gold/src/NAME.events.list, NAME.entities.list and NAME.timexes.list and writes
gold/NAME.events.json, NAME.entities.json and NAME.timexes.json.

List lines (fields separated by " | "; blank lines and lines starting with '#' are
skipped; a trailing "  # note" after two or more spaces is a comment):
  events:   trigger | CAMEO | source text | source code | target text | target code
            | date | modality | polarity | fatalities [| @ context words]
  entities: surface | TYPE | canonical name [| @ context words]
  timexes:  surface | TYPE | value [| @ context words]
Each surface is searched at word boundaries after the end of the previous mention of the
same list, so a list follows the text order. The optional "@ context" field gives words
that stand immediately before the surface (only whitespace between); it only helps to
locate the mention and is not part of the span. '-' means "none" and the key is omitted.

Every mention must be found, every CAMEO code must be one of the codes of
/work/shared/data/cameo/CAMEO2PLOVER-2021.txt (or shared/data/... next to the repo),
and source/target texts must occur in the document; otherwise the script stops with an
error naming the list line.

Usage: python3 corpus/heldout/gold/src/make_gold.py [--review] [NAME ...]
  --review also prints every event with its context and, for review, the occurrences
  of annotated entity surfaces and of time-like words that no mention covers.
"""
import glob, hashlib, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
GOLD = os.path.dirname(HERE)                      # corpus/heldout/gold
HELDOUT = os.path.dirname(GOLD)                   # corpus/heldout
REPO = os.path.dirname(os.path.dirname(HELDOUT))  # repository root

ENTITY_TYPES = {'PERSON', 'ORG', 'GPE', 'LOC', 'FAC', 'NORP'}
TIMEX_TYPES = {'DATE', 'TIME', 'DURATION', 'SET'}
MODALITIES = {'realised', 'planned', 'threatened', 'possible', 'negated'}
POLARITIES = {'positive', 'negative'}
DATE_RE = re.compile(r'^\d{4}(-\d{2}(-\d{2})?|-W\d{2}(-WE)?)?$')


def cameo_codes():
    for cand in ('/work/shared/data/cameo/CAMEO2PLOVER-2021.txt',
                 os.path.join(REPO, '..', 'shared', 'data', 'cameo', 'CAMEO2PLOVER-2021.txt'),
                 os.path.join(REPO, 'shared', 'data', 'cameo', 'CAMEO2PLOVER-2021.txt')):
        if os.path.exists(cand):
            codes = set()
            for line in open(cand, encoding='utf-8'):
                m = re.match(r'^(\d{3,4}):', line)
                if m:
                    codes.add(m.group(1))
            return codes
    print('warning: CAMEO code list not found, codes are not checked', file=sys.stderr)
    return None


def fail(where, msg):
    sys.exit(f'{where}: {msg}')


def parse_list(path, nfields):
    """Yields (lineno, fields, context) for the data lines of a list."""
    for n, line in enumerate(open(path, encoding='utf-8'), 1):
        line = re.split(r'\s{2,}#', line.rstrip('\n'), maxsplit=1)[0].strip()
        if not line or line.startswith('#'):
            continue
        fields = [f.strip() for f in line.split(' | ')]
        ctx = None
        if fields[-1].startswith('@'):
            ctx = fields.pop()[1:].strip()
        if len(fields) != nfields:
            fail(f'{path}:{n}', f'{len(fields)} fields, want {nfields}: {line!r}')
        yield n, fields, ctx


def locate(text, surface, ctx, pos, where):
    pat = r'(?<!\w)' + re.escape(surface) + r'(?!\w)'
    if ctx:
        pat = r'(?<!\w)' + re.escape(ctx) + r'\s*(?<!\w)(' + re.escape(surface) + r')(?!\w)'
    m = re.compile(pat).search(text, pos)
    if not m:
        fail(where, f'"{surface}"' + (f' (after "{ctx}")' if ctx else '') +
             f' not found after offset {pos}')
    g = 1 if ctx else 0
    return m.start(g), m.end(g)


def header(name, text, raw, dct):
    return {'schema': 'quarry.standoff/1',
            'generator': {'name': 'hand annotation', 'version': '1'},
            'document': {'id': f'corpus/heldout/{name}.txt',
                         'sha256': hashlib.sha256(raw).hexdigest(),
                         'length': {'codepoint': len(text), 'utf8': len(raw),
                                    'utf16': len(text.encode('utf-16-le')) // 2},
                         'dct': dct, 'bom': raw.startswith(b'\xef\xbb\xbf')},
            'offsets': {'unit': 'codepoint', 'end': 'exclusive'}}


def u8(text, b, e):
    return [len(text[:b].encode('utf-8')), len(text[:e].encode('utf-8'))]


def build(name, codes, review):
    raw = open(os.path.join(HELDOUT, name + '.txt'), 'rb').read()
    text = raw.decode('utf-8')
    meta = json.load(open(os.path.join(HELDOUT, name + '.meta.json'), encoding='utf-8'))
    dct = meta['dct']
    out = {}

    # events
    path = os.path.join(HERE, name + '.events.list')
    items, pos = [], 0
    for n, f, ctx in parse_list(path, 10):
        where = f'{path}:{n}'
        trig, cameo, stext, scode, ttext, tcode, date, modality, polarity, fat = f
        if codes is not None and cameo not in codes:
            fail(where, f'CAMEO code {cameo} is not in the code list')
        if modality not in MODALITIES:
            fail(where, f'bad modality {modality}')
        if polarity not in POLARITIES:
            fail(where, f'bad polarity {polarity}')
        if date != '-' and not DATE_RE.match(date):
            fail(where, f'bad date {date}')
        if fat != '-' and not fat.isdigit():
            fail(where, f'bad fatalities {fat}')
        for t, c in ((stext, scode), (ttext, tcode)):
            if t == '-' and c != '-':
                fail(where, f'actor code {c} without an actor text')
            if t != '-' and not re.search(r'(?<!\w)' + re.escape(t) + r'(?!\w)', text):
                fail(where, f'actor text "{t}" does not occur in the document')
        b, e = locate(text, trig, ctx, pos, where)
        ev = {'id': f'g{len(items) + 1}', 'type': 'EVENT', 'span': [b, e], 'utf8': u8(text, b, e),
              'text': text[b:e], 'cameo': cameo, 'modality': modality, 'polarity': polarity}
        if date != '-':
            ev['date'] = date
        if fat != '-':
            ev['fatalities'] = int(fat)
        if scode != '-':
            ev['source_code'] = scode
        if tcode != '-':
            ev['target_code'] = tcode
        args = []
        if stext != '-':
            args.append({'role': 'source', 'text': stext})
        if ttext != '-':
            args.append({'role': 'target', 'text': ttext})
        if args:
            ev['args'] = args
        items.append(ev)
        pos = e
    out['events'] = items

    # entities and timexes
    for layer, feature, types, prefix in (('entities', 'entity', ENTITY_TYPES, 'e'),
                                          ('timexes', 'value', TIMEX_TYPES, 't')):
        path = os.path.join(HERE, f'{name}.{layer}.list')
        items, pos = [], 0
        for n, f, ctx in parse_list(path, 3):
            where = f'{path}:{n}'
            surface, typ, val = f
            if typ not in types:
                fail(where, f'bad type {typ}')
            b, e = locate(text, surface, ctx, pos, where)
            items.append({'id': f'{prefix}{len(items) + 1}', 'type': typ, 'span': [b, e],
                          'utf8': u8(text, b, e), 'text': text[b:e], feature: val})
            pos = e
        out[layer] = items

    for layer in ('events', 'entities', 'timexes'):
        doc = header(name, text, raw, dct)
        doc[layer] = out[layer]
        p = os.path.join(GOLD, f'{name}.{layer}.json')
        with open(p, 'w', encoding='utf-8') as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=1)
            fh.write('\n')
    print(f'{name}: {len(out["events"])} events, {len(out["entities"])} entities, '
          f'{len(out["timexes"])} timexes')
    if review:
        do_review(name, text, out)


def do_review(name, text, out):
    def ctx(b, e, w=60):
        return (text[max(0, b - w):b] + '[' + text[b:e] + ']' + text[e:e + w]).replace('\n', ' ')
    print(f'--- {name}: events')
    for ev in out['events']:
        args = {a['role']: a['text'] for a in ev.get('args', [])}
        print(f"{ev['id']:>4} {ev['cameo']:>4} {ev['modality']:<10} {ev.get('date', '-'):<12}"
              f" {ev.get('fatalities', '-')!s:>3} {args.get('source', '-')}/{ev.get('source_code', '-')}"
              f" -> {args.get('target', '-')}/{ev.get('target_code', '-')}\n       {ctx(*ev['span'])}")
    covered = [e['span'] for e in out['entities']]
    print(f'--- {name}: annotated entity surfaces occurring outside any entity mention')
    for s in sorted({e['text'] for e in out['entities']}):
        for m in re.finditer(r'(?<!\w)' + re.escape(s) + r'(?!\w)', text):
            if not any(b <= m.start() and m.end() <= e for b, e in covered):
                print(f'   {s!r} at {m.start()}: {ctx(m.start(), m.end(), 40)}')
    print(f'--- {name}: capitalised words outside any entity mention (review: most are fine)')
    seen = set()
    for m in re.finditer(r"(?<!\w)[A-Z]\w*", text):
        if any(b <= m.start() < e for b, e in covered):
            continue
        w = m.group(0)
        if w not in seen:
            seen.add(w)
            print(f'   {w}', end='')
    print()
    tcov = [t['span'] for t in out['timexes']]
    print(f'--- {name}: time-like words outside any timex')
    timey = (r'(?<!\w)(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|'
             r'March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|'
             r'Oct\.|week|weeks|weekend|month|months|year|years|day|days|hours?|decades?|'
             r'today|yesterday|tomorrow|now|morning|night|evening|daily|annual|(19|20)\d\d)(?!\w)')
    for m in re.finditer(timey, text):
        if not any(b <= m.start() and m.end() <= e for b, e in tcov):
            print(f'   {m.group(0)!r} at {m.start()}: {ctx(m.start(), m.end(), 40)}')


def main(argv):
    review = '--review' in argv
    names = [a for a in argv if not a.startswith('--')]
    if not names:
        names = sorted(os.path.basename(p)[:-len('.events.list')]
                       for p in glob.glob(os.path.join(HERE, '*.events.list')))
    codes = cameo_codes()
    for name in names:
        build(name, codes, review)


if __name__ == '__main__':
    main(sys.argv[1:])
