#!/usr/bin/env python3
"""Runs PETRARCH's functional validation records through quarry's event coder.

The records (../shared/data/petrarch-validation, MIT, from UniversalPetrarch) are stylised
sentences with gold event codings (source actor code, CAMEO event code, target actor code) and
their own small dictionaries. This script imports those dictionaries with quarry's importers
(`quarry gazetteer import --from petrarch`, `quarry rules import --from petrarch-verbs|agents|
discards`), annotates every sentence whose record has evaluate="true" (the record's date is the
document date, so dated actor codes apply), and compares, per record, the set of coded dyads
(source_code, cameo, target_code of every realised or unrealised event that has both actors) with
the gold set. A record counts as correct when the two sets are equal; records with noevents or
an error/discard expectation are correct when nothing is coded. The parse trees in the records are
never read: quarry codes from tokens, actors and clause bounds.

The records are split in two halves by a hash of their id (half A: sha256(id) % 2 == 0), for
tuning on one and reporting on the other.

Usage: petrarch_validation.py [--quarry BIN] [--data DIR] [--half A|B|all] [--json]
                              [--min-share F] [--errors N]
Exit: 0 fine, 1 share under --min-share, 2 bad usage; 77 when the data is absent (test skip).
"""
import argparse, hashlib, json, os, re, subprocess, sys, tempfile
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def parse_records(path):
    text = open(path, encoding='utf-8').read()
    # Comments may hold sample <Sentence> markup: drop them first.
    text = re.sub(r'<!--.*?-->', '', text, flags=re.S)
    out = []
    for m in re.finditer(r'<Sentence\s([^>]*)>(.*?)</Sentence>', text, re.S):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        body = m.group(2)
        if attrs.get('evaluate', 'true').lower() != 'true':
            continue
        t = re.search(r'<Text>(.*?)</Text>', body, re.S)
        if not t:
            continue
        sent = ' '.join(t.group(1).split())
        gold, expect_none = set(), False
        for c in re.finditer(r'<EventCoding\s([^/]*)/>', body):
            ca = dict(re.findall(r'(\w+)="([^"]*)"', c.group(1)))
            if 'noevents' in ca or 'error' in ca:
                expect_none = True
                continue
            gold.add((ca.get('sourcecode', ''), ca.get('eventcode', ''), ca.get('targetcode', '')))
        date = attrs.get('date', '')
        dct = f'{date[:4]}-{date[4:6]}-{date[6:8]}' if re.fullmatch(r'\d{8}', date) else None
        out.append({'id': attrs.get('id', ''), 'category': attrs.get('category', ''),
                    'text': sent, 'dct': dct, 'gold': gold, 'none': expect_none and not gold})
    return out


def half_of(rid):
    return 'A' if int(hashlib.sha256(rid.encode()).hexdigest(), 16) % 2 == 0 else 'B'


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode not in (0, 1):
        sys.stderr.write(' '.join(cmd) + '\n' + p.stderr)
        sys.exit(2)
    return p


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--quarry', default=os.environ.get('QUARRY', os.path.join(ROOT, 'build/tools/quarry')))
    ap.add_argument('--data', default=os.path.join(os.environ.get('QUARRY_SHARED', os.path.join(ROOT, '../shared/data')),
                                                   'petrarch-validation'))
    ap.add_argument('--half', default='all', choices=['A', 'B', 'all'])
    ap.add_argument('--json', action='store_true')
    ap.add_argument('--min-share', type=float, default=None)
    ap.add_argument('--errors', type=int, default=0, help='print this many failed records')
    ap.add_argument('--category', default=None)
    args = ap.parse_args()
    records_path = os.path.join(args.data, 'PETR_Validate_records_2_02.xml')
    if not os.path.exists(records_path):
        print(f'skip: {args.data} not found (the PETRARCH validation records are read from ../shared/data)')
        return 77
    records = [r for r in parse_records(records_path)
               if (args.half == 'all' or half_of(r['id']) == args.half)
               and (not args.category or r['category'] == args.category)]
    with tempfile.TemporaryDirectory() as tmp:
        rules = os.path.join(tmp, 'rules')
        os.makedirs(rules)
        d = args.data
        run([args.quarry, 'gazetteer', 'import', '--from', 'petrarch', '-o', os.path.join(tmp, 'actors.gaz'),
             os.path.join(d, 'PETR_Validate_actors_2_02.txt')])
        run([args.quarry, 'rules', 'import', '-q', '--from', 'petrarch-verbs', '-o', os.path.join(rules, 'verbs.qv'),
             os.path.join(d, 'PETR_Validate_verbs_2_02.txt')])
        run([args.quarry, 'rules', 'import', '-q', '--from', 'petrarch-agents', '-o', os.path.join(rules, 'agents.qa'),
             os.path.join(d, 'PETR_Validate_agents_2_02.txt')])
        run([args.quarry, 'rules', 'import', '-q', '--from', 'petrarch-discards', '-o', os.path.join(rules, 'discards.qv'),
             os.path.join(d, 'PETR_Validate_discards_2_02.txt')])
        lines = []
        for i, r in enumerate(records):
            o = {'id': f'r{i}', 'text': r['text']}
            if r['dct']:
                o['dct'] = r['dct']
            lines.append(json.dumps(o))
        p = run([args.quarry, 'annotate', '-q', '-g', os.path.join(tmp, 'actors.gaz'), '-r', rules, '-'],
                input='\n'.join(lines) + '\n')
        outs = {}
        for line in p.stdout.splitlines():
            if line.strip():
                doc = json.loads(line)
                outs[doc['document']['id']] = doc
    per_cat = defaultdict(lambda: [0, 0])
    failures = []
    for i, r in enumerate(records):
        doc = outs.get(f'r{i}')
        system = set()
        if doc:
            for ev in doc.get('events', []):
                s, t = ev.get('source_code'), ev.get('target_code')
                if s and t:
                    system.add((s, ev.get('cameo', ''), t))
        ok = (not system) if r['none'] else system == r['gold']
        per_cat[r['category']][0] += ok
        per_cat[r['category']][1] += 1
        if not ok:
            failures.append((r, system))
    total = sum(c[1] for c in per_cat.values())
    correct = sum(c[0] for c in per_cat.values())
    share = correct / total if total else 0.0
    if args.json:
        print(json.dumps({'half': args.half, 'records': total, 'correct': correct, 'share': round(share, 4),
                          'categories': {k: {'records': v[1], 'correct': v[0]} for k, v in sorted(per_cat.items())}}))
    else:
        print(f'PETRARCH functional validation, half {args.half}: {correct} of {total} records coded exactly '
              f'({share:.3f})')
        for k, v in sorted(per_cat.items()):
            print(f'  {k:10s} {v[0]:4d} / {v[1]:4d}')
        for r, system in failures[:args.errors]:
            print(f"FAIL {r['id']}: {r['text']}\n  gold   {sorted(r['gold']) if not r['none'] else 'no events'}\n"
                  f"  system {sorted(system)}")
    if args.min_share is not None and share < args.min_share:
        print(f'below floor: share of records {share:.3f} < {args.min_share}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
