#!/usr/bin/env python3
"""Scores quarry's events on MUC-4 (TST1+TST2, 200 messages) in the document-level role-filler
form of GRIT (Du, Rush, Cardie, EACL 2021), read from
${QUARRY_SHARED:-../shared/data}/muc4-dev/dev.json, with the CEAF-REE measure GRIT introduced.

  muc4_score.py prepare [--half A|B|all] [-o FILE]    JSONL input for `quarry annotate -`
  muc4_score.py score SYSTEM [--half H] [--json] [--fail-under F1]
  muc4_score.py score --templates PRED.json ...       score GRIT-style predictions instead
  muc4_score.py score SYSTEM --dump-templates OUT     also write the templates GRIT-style

SYSTEM is quarry's JSONL output (one stand-off document per line, "-" for stdin) or a folder of
NAME.json files; documents are matched by document id ("TST1-MUC3-0001", or GRIT's numeric id
"10001", or a file name's stem), falling back to the input order when no id matches.
--templates reads {docid: {"pred_extracts": {role: [[mention, ...], ...]}}} (GRIT's output).

The measure (ceaf_ree): one template per document. For each document and role, gold entities
are sets of coreferent mention strings, predicted entities are lists of mention strings (one
each when they come from quarry). A predicted entity fits a gold entity (similarity 1) when
every one of its mentions is among the gold entity's mentions, all strings normalised
(lower case, ASCII punctuation removed, the words a/an/the removed, white space collapsed);
otherwise 0. Gold and predicted entities are paired one-to-one to maximise the summed
similarity (Kuhn-Munkres, max_weight_assignment); matched = that sum. Over all documents:
P = matched / predicted entities, R = matched / gold entities, per role and micro-averaged over
the five roles (PerpInd, PerpOrg, Target, Victim, Weapon). The "prop" variant (in --json) uses
as similarity the share of the predicted entity's mentions found in the gold entity.

The mapping from quarry's events to templates is one function, template_from_document(); its
rule is documented there.

Halves (by document, deterministic): "A" if int(sha256(docid).hexdigest(), 16) % 4 in (0, 1)
else "B", with docid the string "TST1-MUC3-0001": A 99 documents (tuning), B 101 (held out).

Exit status: 0; 1 when under a --fail-under floor (one "below floor" line per score on
stderr); 2 on bad usage or missing data. Standard library only.
"""

import argparse
import collections
import hashlib
import json
import os
import re
import string
import sys

import evalcommon
from evalcommon import DataError

ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
DATA_SUBDIR = "muc4-dev"
PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# --------------------------------------------------------------------------- mapping constants

# Events whose arguments fill the template: CAMEO codes starting with one of these (root 18
# assault, 19 fight, 20 mass violence; 175 violent repression, 1712 destroy property).
VIOLENT_CAMEO_PREFIXES = ("18", "19", "20", "175", "1712")
# Leave out events with polarity "negative" ("denied that guerrillas attacked")? MUC-4 fills
# templates for attacks that are reported, attempted or threatened, so the default keeps them.
SKIP_NEGATIVE_EVENTS = False
# Head nouns that make a generic (non-PERSON, non-ORG) source actor an organisation (PerpOrg):
# "the army", "armed forces", "army of national liberation", "the treasury police". Any other
# head ("gunmen", "terrorists", "urban guerrillas", "members of the fmln", "soldiers") is an
# individual perpetrator (PerpInd), as in the MUC-4 keys.
ORG_HEAD_NOUNS = frozenset("""
    army armies forces military police government guard guards battalion battalions brigade
    brigades detachment command cartel front movement party alliance department organization
    organisation federation union extraditables junta regime ministry navy
""".split())
# Words that end the head phrase of an actor: the head is the last word before them.
HEAD_CUT_WORDS = frozenset("of who which that from wearing in with at on carrying".split())
# Entity types never used as perpetrators or targets (places, nationalities, dates).
PLACE_TYPES = frozenset(("GPE", "LOC", "LOCATION", "NORP", "DATE", "TIME", "TIMEX"))
# The Victim role of these data is the *named* human target (MUC's HUM TGT: NAME): generic human
# targets ("a peasant", "two policemen") are not in the key and would only add false positives.
# Set to True to map targets of type ACTOR to Victim as well.
GENERIC_HUMAN_TARGETS_AS_VICTIMS = False


# --------------------------------------------------------------------------- data

def resolve_data_dir(arg):
    """--data may name the shared data folder or the set's folder itself."""
    return evalcommon.resolve_data_dir(arg, DATA_SUBDIR, "dev.json")


half_of = evalcommon.half_of


def grit_docid(docid):
    """GRIT's numeric id: TST1-MUC3-0001 -> "10001", TST2-MUC4-0098 -> "20098"."""
    parts = docid.split("-")
    try:
        return str(int(parts[0][-1]) * 10000 + int(parts[-1]))
    except (ValueError, IndexError):
        return docid


Doc = collections.namedtuple("Doc", "docid text gold")


def load_gold(data_dir, half="all"):
    """Documents of the half in file order; gold = {role: [[mention, ...], ...]} without empty
    entities."""
    path = os.path.join(data_dir, "dev.json")
    if not os.path.isfile(path):
        raise DataError("%s not found (MUC-4 is read from ../shared/data, or give --data DIR)"
                        % path)
    docs = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except ValueError as e:
                raise DataError("%s:%d: not JSON (%s)" % (path, n, e))
            if half != "all" and half_of(d["docid"]) != half:
                continue
            gold = {}
            for role in ROLES:
                ents = d.get("extracts", {}).get(role, [])
                gold[role] = [[m[0] for m in ent] for ent in ents if ent]
            docs.append(Doc(d["docid"], d["doctext"], gold))
    return docs


# --------------------------------------------------------------------------- the measure

_PUNCT = frozenset(string.punctuation)
_ARTICLE = re.compile(r"\b(?:a|an|the)\b")


def normalize_mention(s):
    """Lower case, no ASCII punctuation, no articles, single spaces (in that order)."""
    s = "".join(ch for ch in s.lower() if ch not in _PUNCT)
    s = _ARTICLE.sub(" ", s)
    return " ".join(s.split())


def sim_strict(gold_mentions, pred_mentions):
    """1 when every predicted mention is one of the gold entity's mentions (also when the
    predicted entity has none), else 0."""
    return 1.0 if all(m in gold_mentions for m in pred_mentions) else 0.0


def sim_prop(gold_mentions, pred_mentions):
    """The number of gold mentions (with repeats) found among the predicted ones, divided by
    the number of predicted mentions."""
    if not pred_mentions:
        return 0.0
    pred = set(pred_mentions)
    return sum(1 for m in gold_mentions if m in pred) / len(pred_mentions)


def max_weight_assignment(weights):
    """Kuhn-Munkres (Hungarian method, shortest augmenting paths with potentials) for a
    rectangular matrix: pairs each row with a distinct column (or each column with a distinct
    row when there are fewer columns) so that the summed weight is largest.
    Returns (total weight, [(row, column), ...]). O(n^2 m), n = min side."""
    if not weights or not weights[0]:
        return 0.0, []
    original = weights
    rows, cols = len(weights), len(weights[0])
    flip = rows > cols
    if flip:
        weights = [[weights[r][c] for r in range(rows)] for c in range(cols)]
        rows, cols = cols, rows
    # Minimise cost = -weight. Rows 1..rows, columns 1..cols; column 0 is a virtual start.
    inf = float("inf")
    row_pot = [0.0] * (rows + 1)
    col_pot = [0.0] * (cols + 1)
    owner = [0] * (cols + 1)       # owner[c]: row matched to column c (0: none)
    for r in range(1, rows + 1):
        owner[0] = r
        slack = [inf] * (cols + 1)
        back = [0] * (cols + 1)    # previous column on the alternating path
        done = [False] * (cols + 1)
        c = 0
        while True:
            done[c] = True
            cur_row = owner[c]
            step, nxt = inf, 0
            w = weights[cur_row - 1]
            for j in range(1, cols + 1):
                if done[j]:
                    continue
                reduced = -w[j - 1] - row_pot[cur_row] - col_pot[j]
                if reduced < slack[j]:
                    slack[j] = reduced
                    back[j] = c
                if slack[j] < step:
                    step, nxt = slack[j], j
            for j in range(cols + 1):
                if done[j]:
                    row_pot[owner[j]] += step
                    col_pot[j] -= step
                else:
                    slack[j] -= step
            c = nxt
            if owner[c] == 0:
                break
        while c:                   # flip the augmenting path
            prev = back[c]
            owner[c] = owner[prev]
            c = prev
    pairs = [(owner[j] - 1, j - 1) for j in range(1, cols + 1) if owner[j]]
    if flip:
        pairs = [(c, r) for r, c in pairs]
    pairs.sort()
    return sum(original[r][c] for r, c in pairs), pairs


def align_entities(gold_entities, pred_entities, similarity=sim_strict):
    """Optimal one-to-one alignment of normalised gold and predicted entities of one role in
    one document. Returns (summed similarity, [(gold index, pred index, similarity), ...])."""
    if not gold_entities or not pred_entities:
        return 0.0, []
    matrix = [[similarity(g, p) for p in pred_entities] for g in gold_entities]
    _, pairs = max_weight_assignment(matrix)
    pairs = [(g, p, matrix[g][p]) for g, p in pairs]
    return sum(s for _, _, s in pairs), pairs


def ceaf_ree(golds, preds, similarity=sim_strict):
    """golds, preds: {docid: {role: [[mention, ...], ...]}}; every gold docid is scored, a
    document or role missing from preds counts as empty. Returns {role|"micro": counts and
    p, r, f1}."""
    counts = {role: {"matched": 0.0, "predicted": 0, "gold": 0} for role in ROLES}
    for docid, gold in golds.items():
        pred = preds.get(docid) or {}
        for role in ROLES:
            g = [[normalize_mention(m) for m in ent] for ent in gold.get(role) or [] if ent]
            p = [[normalize_mention(m) for m in ent] for ent in pred.get(role) or []]
            matched, _ = align_entities(g, p, similarity)
            counts[role]["matched"] += matched
            counts[role]["predicted"] += len(p)
            counts[role]["gold"] += len(g)
    micro = {k: sum(counts[r][k] for r in ROLES) for k in ("matched", "predicted", "gold")}
    out = collections.OrderedDict()
    for key, c in list(counts.items()) + [("micro", micro)]:
        p = c["matched"] / c["predicted"] if c["predicted"] else 0.0
        r = c["matched"] / c["gold"] if c["gold"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[key] = dict(c, p=p, r=r, f1=f)
    return out


# --------------------------------------------------------------------------- from quarry

def read_system(path):
    """Stand-off documents from a JSONL file ("-": stdin) or a folder of *.json files."""
    if path != "-" and os.path.isdir(path):
        out = []
        for root, _, files in os.walk(path):
            for name in sorted(files):
                if name.endswith(".json") and not name.endswith(".meta.json"):
                    with open(os.path.join(root, name), encoding="utf-8") as f:
                        d = json.load(f)
                    d.setdefault("_file", os.path.splitext(name)[0])
                    out.append(d)
        return sorted(out, key=lambda d: d["_file"])
    f = sys.stdin if path == "-" else open(path, encoding="utf-8")
    out = []
    try:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except ValueError as e:
                    print("warning: %s:%d: not JSON (%s), skipped" % (path, n, e),
                          file=sys.stderr)
    finally:
        if f is not sys.stdin:
            f.close()
    return out


def annotation_index(d):
    idx = {}
    for layer in ("entities", "timexes", "events", "relations", "other"):
        items = d.get(layer)
        if isinstance(items, dict):
            items = [a for v in items.values() if isinstance(v, list) for a in v]
        for a in items or []:
            if isinstance(a, dict) and "id" in a:
                idx[a["id"]] = a
    return idx


def is_violent(event):
    code = str(event.get("cameo") or "")
    root = str(event.get("cameo_root") or "")
    return any(code.startswith(p) for p in VIOLENT_CAMEO_PREFIXES) or root in ("18", "19", "20")


def actor_head(text):
    """The head noun of an actor phrase: the last word before "of", "who", "from", ... or a
    comma. "members of the fmln" -> "members", "army of national liberation" -> "army"."""
    words = re.findall(r"[\w'-]+|,", (text or "").lower())
    head = ""
    for w in words:
        if w == "," or (w in HEAD_CUT_WORDS and head):
            break
        head = w
    return head.strip("'-").removesuffix("'s")


def perpetrator_role(ann_type, text):
    """PerpInd / PerpOrg / None for a source annotation."""
    if ann_type == "PERSON":
        return "PerpInd"
    if ann_type == "ORG":
        return "PerpOrg"
    if ann_type in PLACE_TYPES:
        return None
    return "PerpOrg" if actor_head(text) in ORG_HEAD_NOUNS else "PerpInd"


def target_role(ann_type):
    """Victim / Target / None for a target annotation."""
    if ann_type == "PERSON":
        return "Victim"
    if ann_type == "ACTOR":
        return "Victim" if GENERIC_HUMAN_TARGETS_AS_VICTIMS else None
    if ann_type in PLACE_TYPES:
        return None
    return "Target"   # FAC, ORG (embassies, agencies: their buildings), vehicles, other objects


def template_from_document(d):
    """The one template of a stand-off document: {role: [[mention], ...]}.

    Rule. Every event with a violent CAMEO code (VIOLENT_CAMEO_PREFIXES, or cameo_root 18, 19,
    20; negative ones too unless SKIP_NEGATIVE_EVENTS) contributes its arguments:
      source      PERSON -> PerpInd; ORG -> PerpOrg; places (GPE, LOC, NORP) -> nothing;
                  any other (ACTOR: "gunmen", "the army", ...) -> PerpOrg when the head noun of
                  its text is in ORG_HEAD_NOUNS, else PerpInd
      (an ACTOR with a `person` argument, a title with its holder, counts as that PERSON; a
      source ACTOR with an ORG `owner` argument, "guerrillas of the eln", also gives the ORG
      as PerpOrg)
      target      PERSON -> Victim; ACTOR -> nothing (Victim when
                  GENERIC_HUMAN_TARGETS_AS_VICTIMS); places -> nothing; anything else (FAC, ORG,
                  vehicles, unknown) -> Target
      instrument  -> Weapon
    An argument's annotation is looked up by its ref; if it cannot be found, the arg's own text
    is used and its type is unknown. The filler string is the annotation's text. Fillers of a
    role are merged when they name the same linked entity (the `entity` feature) or normalise to
    the same string; the merged filler is one predicted entity holding its earliest mention
    (as GRIT predicts one mention per entity)."""
    index = annotation_index(d)
    found = {role: collections.OrderedDict() for role in ROLES}   # role -> key -> (pos, text)

    def add(role, ann, arg):
        if role is None:
            return
        text = (ann.get("text") if ann else None) or arg.get("text") or ""
        norm = normalize_mention(text)
        if not norm:
            return
        key = ("entity", ann["entity"]) if ann and ann.get("entity") else ("text", norm)
        pos = (ann.get("span") or [0])[0] if ann else 0
        if key not in found[role] or pos < found[role][key][0]:
            found[role][key] = (pos, text)

    for ev in d.get("events") or []:
        if not is_violent(ev):
            continue
        if SKIP_NEGATIVE_EVENTS and ev.get("polarity") == "negative":
            continue
        for arg in ev.get("args") or []:
            ann = index.get(arg.get("ref"))
            # A title with the person it names ("attorney general roberto garcia alvarado", an
            # ACTOR whose `person` argument is the PERSON) stands for that person.
            for a2 in (ann or {}).get("args") or []:
                if a2.get("role") == "person" and a2.get("ref") in index:
                    ann = index[a2["ref"]]
                    break
            ann_type = ann.get("type") if ann else None
            role = arg.get("role")
            text = (ann.get("text") if ann else None) or arg.get("text") or ""
            if role == "source":
                add(perpetrator_role(ann_type, text), ann, arg)
                # Members of an organisation the annotation names ("guerrillas of the eln", an
                # ACTOR whose `owner` argument is the ORG): the organisation is PerpOrg too.
                for a2 in (ann or {}).get("args") or []:
                    owner = index.get(a2.get("ref")) if a2.get("role") == "owner" else None
                    if owner and owner.get("type") == "ORG":
                        add("PerpOrg", owner, a2)
            elif role == "target":
                add(target_role(ann_type), ann, arg)
            elif role == "instrument":
                add("Weapon", ann, arg)
    template = {}
    for role in ROLES:
        seen, ents = set(), []
        for pos, text in sorted(found[role].values(), key=lambda x: x[0]):
            norm = normalize_mention(text)
            if norm not in seen:
                seen.add(norm)
                ents.append([text])
        template[role] = ents
    return template


def match_system_docs(gold_docs, system_docs):
    """{gold docid: system document}, by id or file stem, else by position."""
    by_key = {}
    for d in system_docs:
        did = (d.get("document") or {}).get("id", d.get("_file"))
        if did is None:
            continue
        did = str(did)
        for key in (did, os.path.splitext(os.path.basename(did))[0]):
            by_key.setdefault(key, d)
    matched = {}
    for g in gold_docs:
        for key in (g.docid, grit_docid(g.docid)):
            if key in by_key:
                matched[g.docid] = by_key[key]
                break
    if not matched and system_docs and len(system_docs) == len(gold_docs):
        print("warning: no document id matches; matching system documents by position",
              file=sys.stderr)
        matched = {g.docid: s for g, s in zip(gold_docs, system_docs)}
    return matched


def read_templates(path, gold_docs):
    """GRIT-style predictions {docid: {"pred_extracts": {...}}} -> {gold docid: template}."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    out = {}
    for g in gold_docs:
        for key in (g.docid, grit_docid(g.docid)):
            if key in data:
                rec = data[key]
                out[g.docid] = rec.get("pred_extracts", rec) if isinstance(rec, dict) else {}
                break
    return out


# --------------------------------------------------------------------------- commands

def format_table(title, scores):
    lines = [title, "%-8s %6s %6s %6s %8s %6s %6s" % ("role", "P", "R", "F1", "matched",
                                                       "pred", "gold")]
    for key in ROLES + ("micro",):
        s = scores[key]
        lines.append("%-8s %6.2f %6.2f %6.2f %8.2f %6d %6d" % (
            key, 100 * s["p"], 100 * s["r"], 100 * s["f1"], s["matched"], s["predicted"],
            s["gold"]))
    return "\n".join(lines)


def parse_floors(specs):
    """"0.3" (micro F1) or "micro=0.3,Victim=0.2" -> {key: floor}."""
    floors = collections.OrderedDict()
    names = {r.lower(): r for r in ROLES + ("micro",)}
    for spec in specs or []:
        for part in spec.split(","):
            part = part.strip()
            if not part:
                continue
            key, sep, v = part.rpartition("=")
            key = names.get(key.strip().lower()) if sep else "micro"
            if key is None:
                raise DataError("--fail-under wants F1 or ROLE=F1 (ROLE one of %s, micro), got %r"
                                % (", ".join(ROLES), part))
            try:
                floors[key] = float(v)
            except ValueError:
                raise DataError("--fail-under: %r is not a number" % v)
    return floors


def cmd_prepare(args):
    docs = load_gold(resolve_data_dir(args.data), args.half)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for d in docs:   # the texts have no date (the dateline is not part of doctext)
            out.write(json.dumps({"id": d.docid, "text": d.text}, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    print("%d documents (half %s)" % (len(docs), args.half), file=sys.stderr)
    return 0


def cmd_score(args):
    docs = load_gold(resolve_data_dir(args.data), args.half)
    floors = parse_floors(args.fail_under)
    info = {"dataset": "MUC-4 TST1+TST2 (GRIT dev)", "half": args.half, "documents": len(docs),
            "system": args.system}
    if args.templates:
        preds = read_templates(args.system, docs)
        n_matched = len(preds)
    else:
        system_docs = read_system(args.system)
        matched = match_system_docs(docs, system_docs)
        n_matched = len(matched)
        preds = {}
        mismatch = 0
        for g in docs:
            s = matched.get(g.docid)
            if s is None:
                continue
            sha = (s.get("document") or {}).get("sha256")
            if sha and sha != hashlib.sha256(g.text.encode("utf-8")).hexdigest():
                mismatch += 1
            preds[g.docid] = template_from_document(s)
        if mismatch:
            print("warning: %d system documents hold a different text (sha256) than the gold"
                  % mismatch, file=sys.stderr)
        info["text_mismatch"] = mismatch
    missing = [g.docid for g in docs if g.docid not in preds]
    if missing:
        print("warning: %d of %d documents of half %s have no system output (scored as empty "
              "templates), e.g. %s" % (len(missing), len(docs), args.half,
                                       ", ".join(missing[:5])), file=sys.stderr)
    info["matched_documents"] = n_matched
    info["missing_documents"] = len(missing)
    if args.dump_templates:
        with open(args.dump_templates, "w", encoding="utf-8") as f:
            json.dump({grit_docid(g.docid): {"doctext": g.text,
                                             "pred_extracts": preds.get(g.docid) or
                                             {r: [] for r in ROLES}} for g in docs},
                      f, ensure_ascii=False, indent=1)
    golds = {g.docid: g.gold for g in docs}
    strict = ceaf_ree(golds, preds, sim_strict)
    prop = ceaf_ree(golds, preds, sim_prop)
    if args.json:
        print(json.dumps(dict(info, scores=strict, scores_prop=prop), indent=1))
    else:
        print(format_table("CEAF-REE (strict), MUC-4 dev half %s: %d documents (%d with output)"
                           % (args.half, len(docs), n_matched), strict))
        m = prop["micro"]
        print("%-8s %6.2f %6.2f %6.2f   (phi_prop)" % ("micro", 100 * m["p"], 100 * m["r"],
                                                       100 * m["f1"]))
    failed = 0
    for key, floor in floors.items():
        if strict[key]["f1"] < floor:
            print("below floor: CEAF-REE %s F1 %.4f < %.4f" % (key, strict[key]["f1"], floor),
                  file=sys.stderr)
            failed += 1
    return 1 if failed else 0


def build_parser():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", metavar="DIR",
                        help="shared data folder or the muc4-dev folder "
                             "(default: ${QUARRY_SHARED:-../shared/data} from the project root)")
    common.add_argument("--half", choices=("A", "B", "all"), default="all",
                        help="A: tuning half, B: held-out half, all: both (default)")
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    pp = sub.add_parser("prepare", parents=[common], help="write quarry's JSONL input")
    pp.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    ps = sub.add_parser("score", parents=[common], help="score quarry's output")
    ps.add_argument("system", help="quarry's JSONL output ('-': stdin) or a folder of .json; "
                                   "with --templates a GRIT-style prediction file")
    ps.add_argument("--templates", action="store_true",
                    help="SYSTEM holds GRIT-style templates, not quarry output")
    ps.add_argument("--dump-templates", metavar="FILE",
                    help="write the predicted templates GRIT-style (keyed by GRIT's docid)")
    ps.add_argument("--json", action="store_true", help="print the scores as JSON")
    ps.add_argument("--fail-under", action="append", metavar="F1|ROLE=F1,...",
                    help="exit 1 when micro F1 (or a role's) is under the floor (0..1)")
    return p


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return {"prepare": cmd_prepare, "score": cmd_score}[args.command](args)
    except (DataError, OSError, json.JSONDecodeError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
