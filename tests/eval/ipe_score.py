#!/usr/bin/env python3
"""Scores quarry's events on IndiaPoliceEvents (Halterman, Keith, Sarwar, O'Connor, Findings of
ACL 2021), development half, read from ${QUARRY_SHARED:-../shared/data}/indiapoliceevents-dev.

Every sentence of the gold documents is labelled with the questions it answers "yes" to:
KILL, ARREST, FAIL, FORCE, ANY_ACTION ("did police kill / arrest / fail to intervene / use force /
do anything?"). This script turns quarry's events into the same sentence labels and scores them,
and runs the paper's keyword baseline on the same sentences for comparison.

  ipe_score.py prepare [--half A|B|all] [-o FILE]     JSONL input for `quarry annotate -`
  ipe_score.py score SYSTEM [--half H] [--json] [--fail-under KILL=0.3,...]
  ipe_score.py baseline [--half H] [--json]           the keyword baseline alone

SYSTEM is quarry's JSONL output (one stand-off document per line, "-" for stdin) or a folder of
NAME.json files (`quarry annotate -o DIR`); documents are matched by document id (falling back
to the order of the input when the ids do not match).

Halves (by document, deterministic, independent of the bit that chose the dev half):
  half of doc_id = "A" if int(sha256(str(doc_id)).hexdigest(), 16) % 4 in (0, 1) else "B"
i.e. bit 1 of the digest's last byte. A (338 documents) is for tuning, B (329) is held out.

From events to sentence labels (see predict_sentence_labels): an event belongs to the gold
sentence its trigger (the event's span) begins in. A police event is one with a police source
(police_source()). An event "acts" unless it has polarity "negative" or `failed: true`.
  ANY_ACTION  a police event that acts (any CAMEO code)
  ARREST      a police event that acts, CAMEO 173*
  FORCE       a police event that acts, CAMEO 175* or root 18, 19, 20
  KILL        a FORCE event with fatalities > 0, or CAMEO 1823*, 186* or 20*
  FAIL        a police event with polarity "negative" or `failed: true`
Negative and failed events are kept out of the other questions because the gold keeps them out:
70 of the 101 FAIL sentences of the dev half are not ANY_ACTION.

Exit status: 0; 1 when a --fail-under floor is not met (one "below floor" line per score on
stderr); 2 on bad usage or missing data.
Standard library only.
"""

import argparse
import bisect
import collections
import hashlib
import json
import os
import re
import sys

import evalcommon
from evalcommon import DataError

QUESTIONS = ("KILL", "ARREST", "FAIL", "FORCE", "ANY_ACTION")

# Words that make a source actor "police" when found (as whole words, case-insensitively) in
# the source annotation's text. Adjust here.
POLICE_NOUNS = (
    "police", "policeman", "policemen", "policewoman", "policewomen",
    "cop", "cops", "constable", "constables", "constabulary",
    "jawan", "jawans", "inspector", "inspectors", "sub-inspector", "sub-inspectors",
)
# Police ranks and forces written as acronyms (Indian usage): station house officer, deputy /
# assistant commissioner, (deputy / senior) superintendent, director / inspector general of
# police, police sub-inspector, the Indian Police Service, CRPF and its Rapid Action Force,
# State Reserve Police, Railway Protection Force, Government Railway Police, special task
# force, crime investigation department, BSF and CISF (counted as police by the paper's list).
POLICE_ACRONYMS = (
    "sho", "dcp", "acp", "dsp", "ssp", "dgp", "igp", "psi", "ips",
    "crpf", "raf", "srp", "srpf", "rpf", "grp", "stf", "cid", "bsf", "cisf",
)
# An actor code (`agent`, `code`, `cameo` of the source annotation, or the event's
# `source_code`) is police when one of its 3-letter parts is one of these.
POLICE_AGENT_CODES = ("COP",)

# The keyword baseline of the IndiaPoliceEvents paper. The word lists are re-typed from
# manual_keyword_list.json and the rule from keyword_matching.py, both in
# github.com/slanglab/IndiaPoliceEvents, archived_code/models/ (commit a1376f0). The rule: the
# lower-cased sentence contains one of the police words (a plain substring, no word boundary;
# the acronyms carry a trailing space) and, except for ANY_ACTION, one of the question's words.
BASELINE_KEYWORDS = {
    "police": ["police", "policemen", "cop", "cops", "constables", "constables", "jawan",
               "jawans"],
    "police_acronyms": ["grp ", "cid ", "rpf ", "stf ", "bsf ", "dcp ", "dsp ", "ssp ", "sho ",
                        "cisf ", "dgp "],
    "kill": ["kill", "kills", "killed", "killing", "lynch", "lynched", "lynching", "annihilate",
             "annihilating", "annihilated", "annihilates", "drown", "drowning", "drowned",
             "drowns", "massacre", "massacring", "massacred", "massacres", "slaughter",
             "slaughtering", "slaughtered", "slaughterers", "butcher", "butchering",
             "butchered", "butchers", "poison", "poisoning", "poisoned", "poisons",
             "exterminate", "exterminating", "exterminated", "exterminates", "strangle",
             "strangling", "strangled", "strangles", "impale", "impaling", "impaled",
             "impales", "murder", "murdering", "murdered", "murders", "execute", "executing",
             "executed", "executes"],
    "arrest": ["arrest", "arresting", "arrested", "arrests", "nab", "nabbing", "nabbed", "nabs",
               "detain", "detaining", "detained", "detains", "book", "booking", "booked",
               "books", "chargesheet", "chargesheeting", "chargesheeted", "chargesheets",
               "apprehend", "apprehending", "apprehended", "apprehends", "seize", "seizing",
               "seized", "seizes", "collar", "collaring", "collared", "collars"],
    "intervene": ["intervene", "intervening", "intervened", "intervenes", "intervention",
                  "interfere", "interfering", "interfered", "interferes", "stand by",
                  "standing by", "stood by", "stands by", "abstain", "abstaining", "abstained",
                  "abstains"],
    "other_force": ["fire", "firing", "fired", "fires", "stone-pelt", "stone-pelting",
                    "stone-pelted", "stone-pelts", "pelt stones", "pelting stones",
                    "pelts stones", "pelted stones", "beat", "beating", "beaten", "beats",
                    "whip", "whipping", "whipped", "whips", "bash", "bashing", "bashed",
                    "bashes", "choke", "choking", "choked", "chokes", "wound", "wounding",
                    "wounded", "wounds", "strong-arm", "strong-arming", "strong-armed",
                    "strong-arms", "pistol-whip", "pistol-whipping", "pistol-whipped",
                    "pistol-whips", "lash", "lashing", "lashed", "lashes", "trounce",
                    "trouncing", "trounced", "trounces", "cane", "caning", "caned", "canes",
                    "thrash", "thrashing", "thrashed", "thrashes", "clobber", "clobbering",
                    "clobbered", "clobbers", "spank", "spanking", "spanked", "spanks", "paddle",
                    "paddling", "paddled", "paddles", "hit", "hitting", "hits", "whack",
                    "whacking", "whacked", "whacks", "pummel", "pummelling", "pummeling",
                    "pummelled", "pummeled", "pummeled", "pummels", "club", "clubbing",
                    "clubbed", "clubs", "shoot", "shooting", "shot", "shoots", "suffocate",
                    "suffocating", "suffocated", "suffocates", "beat", "beating", "beaten",
                    "beats"],
}
# Which lists, besides the police words, a sentence needs for each question.
BASELINE_RULES = {
    "KILL": ("kill",),
    "ARREST": ("arrest",),
    "FAIL": ("intervene",),
    "FORCE": ("other_force", "kill"),
    "ANY_ACTION": (),
}

DATA_SUBDIR = "indiapoliceevents-dev"
PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# --------------------------------------------------------------------------- data

def resolve_data_dir(arg):
    """--data may name the shared data folder or the set's folder itself."""
    return evalcommon.resolve_data_dir(arg, DATA_SUBDIR, "sents.jsonl")


half_of = evalcommon.half_of


def in_half(doc_id, half):
    return half == "all" or half_of(doc_id) == half


def _read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except ValueError as e:
                    raise DataError("%s:%d: not JSON (%s)" % (path, n, e))


Doc = collections.namedtuple("Doc", "doc_id text date sents")
Sent = collections.namedtuple("Sent", "sent_id text labels")


def load_gold(data_dir, half="all"):
    """Documents of the half in the order of docs.jsonl, each with its sentences in order."""
    files = {n: os.path.join(data_dir, n + ".jsonl") for n in ("docs", "sents", "metadata")}
    for n, p in files.items():
        if not os.path.isfile(p):
            raise DataError("%s not found (IndiaPoliceEvents is read from ../shared/data, or "
                            "give --data DIR)" % p)
    dates = {m["doc_id"]: m.get("date") for m in _read_jsonl(files["metadata"])}
    sents = collections.defaultdict(list)
    for s in _read_jsonl(files["sents"]):
        sents[s["doc_id"]].append(s)
    docs = []
    for d in _read_jsonl(files["docs"]):
        if not in_half(d["doc_id"], half):
            continue
        ss = sorted(sents.get(d["doc_id"], []), key=lambda s: s["sent_id"])
        docs.append(Doc(d["doc_id"], d["doc_text"], dates.get(d["doc_id"]),
                        [Sent(s["sent_id"], s["sent_text"], frozenset(s["sent_labels"]))
                         for s in ss]))
    return docs


# --------------------------------------------------------------------------- alignment

def _loose_find(text, sentence, pos, squeezed_cache):
    """Finds `sentence` in text[pos:] ignoring all whitespace; returns (begin, end) or None."""
    if "keep" not in squeezed_cache:
        keep = [i for i, ch in enumerate(text) if not ch.isspace()]
        squeezed_cache["keep"] = keep
        squeezed_cache["squeezed"] = "".join(text[i] for i in keep)
    keep, squeezed = squeezed_cache["keep"], squeezed_cache["squeezed"]
    needle = "".join(ch for ch in sentence if not ch.isspace())
    if not needle:
        return None
    k = squeezed.find(needle, bisect.bisect_left(keep, pos))
    if k < 0:
        return None
    return keep[k], keep[k + len(needle) - 1] + 1


def align_sentences(text, sentences):
    """[begin, end) code-point spans of the sentences (in order) in text; None where a sentence
    cannot be found. Exact search after the previous sentence first, then whitespace-blind."""
    spans, pos, cache = [], 0, {}
    for s in sentences:
        k = text.find(s, pos) if s else -1
        span = (k, k + len(s)) if k >= 0 else _loose_find(text, s, pos, cache)
        if span is None and s.strip():
            stripped = s.strip()
            k = text.find(stripped, pos)
            span = (k, k + len(stripped)) if k >= 0 else None
        spans.append(span)
        if span is not None:
            pos = span[1]
    return spans


class SentenceIndex:
    """Maps a code-point offset to the index of the gold sentence it falls in. Offsets between
    two sentences go to the earlier one, offsets before the first to the first."""

    def __init__(self, spans):
        self.items = [(sp[0], sp[1], i) for i, sp in enumerate(spans) if sp is not None]
        self.starts = [b for b, _, _ in self.items]

    def find(self, offset):
        """(sentence index or None, whether the offset is inside that sentence's span)."""
        if not self.items:
            return None, False
        k = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        b, e, i = self.items[k]
        return i, b <= offset < e


# --------------------------------------------------------------------------- system output

def _unit_to_codepoint_map(text, unit):
    """List m with m[offset in unit] = code-point offset (None for the identity)."""
    if unit in (None, "codepoint"):
        return None
    sizes = []
    for ch in text:
        c = ord(ch)
        if unit == "utf16":
            sizes.append(2 if c > 0xFFFF else 1)
        elif unit == "utf8":
            sizes.append(1 if c < 0x80 else 2 if c < 0x800 else 3 if c < 0x10000 else 4)
        else:
            raise DataError("unknown offset unit %r" % unit)
    if all(s == 1 for s in sizes):
        return None
    m = []
    for i, s in enumerate(sizes):
        m.extend([i] * s)
    m.append(len(text))
    return m


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
        out.sort(key=lambda d: d["_file"])
        return out
    f = sys.stdin if path == "-" else open(path, encoding="utf-8")
    out = []
    try:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except ValueError as e:
                print("warning: %s:%d: not JSON (%s), skipped" % (path, n, e), file=sys.stderr)
    finally:
        if f is not sys.stdin:
            f.close()
    return out


def _system_doc_key(d):
    doc = d.get("document") or {}
    did = doc.get("id")
    if did is None:
        did = d.get("_file")
    return None if did is None else str(did)


def match_system_docs(gold_docs, system_docs):
    """{gold doc_id: system document}. By id (the id itself, or a file name's stem), else by
    position when no id matches and the counts agree."""
    by_key = {}
    for d in system_docs:
        key = _system_doc_key(d)
        if key is not None:
            by_key.setdefault(key, d)
            stem = os.path.splitext(os.path.basename(key))[0]
            by_key.setdefault(stem, d)
    matched = {g.doc_id: by_key[str(g.doc_id)] for g in gold_docs if str(g.doc_id) in by_key}
    if not matched and system_docs and len(system_docs) == len(gold_docs):
        print("warning: no document id matches; matching system documents by position",
              file=sys.stderr)
        matched = {g.doc_id: s for g, s in zip(gold_docs, system_docs)}
    return matched


def annotation_index(d):
    idx = {}
    for layer in ("entities", "timexes", "events", "relations", "other"):
        items = d.get(layer)
        if isinstance(items, dict):  # a user layer keyed by name
            items = [a for v in items.values() if isinstance(v, list) for a in v]
        for a in items or []:
            if isinstance(a, dict) and "id" in a:
                idx[a["id"]] = a
    return idx


# --------------------------------------------------------------------------- prediction rule

_POLICE_RE = re.compile(
    r"(?<![\w-])(?:%s)(?!\w)" % "|".join(
        re.escape(w) for w in sorted(POLICE_NOUNS + POLICE_ACRONYMS, key=len, reverse=True)),
    re.IGNORECASE)


def is_police_text(s):
    return bool(s) and _POLICE_RE.search(s) is not None


def is_police_code(code):
    if isinstance(code, (list, tuple)):
        return any(is_police_code(c) for c in code)
    if not isinstance(code, str) or not code:
        return False
    code = code.upper()
    if len(code) % 3 == 0:
        return any(code[i:i + 3] in POLICE_AGENT_CODES for i in range(0, len(code), 3))
    return any(c in code for c in POLICE_AGENT_CODES)


def police_source(event, index):
    """True when the event's source is police: the event's `source_code`, or a `source` arg
    whose annotation has a police `agent` / `code` / `cameo`, or whose text has a police word."""
    if is_police_code(event.get("source_code")):
        return True
    for arg in event.get("args") or []:
        if arg.get("role") != "source":
            continue
        ann = index.get(arg.get("ref")) or {}
        if any(is_police_code(ann.get(k)) for k in ("agent", "code", "cameo")):
            return True
        if is_police_text(ann.get("text")) or is_police_text(arg.get("text")):
            return True
    return False


def _fatalities(event):
    v = event.get("fatalities")
    try:
        return int(v) if v is not None else 0
    except (TypeError, ValueError):
        return 0


def event_questions(event, index, modalities=None):
    """The questions one event answers "yes" (a set)."""
    if modalities is not None and event.get("modality", "realised") not in modalities:
        return set()
    if not police_source(event, index):
        return set()
    negative = event.get("polarity") == "negative" or event.get("failed") is True
    if negative:
        return {"FAIL"}
    code = str(event.get("cameo") or "")
    root = str(event.get("cameo_root") or code[:2])
    out = {"ANY_ACTION"}
    if code.startswith("173"):
        out.add("ARREST")
    if code.startswith("175") or root in ("18", "19", "20"):
        out.add("FORCE")
        if (_fatalities(event) > 0 or event.get("fatal") is True or code.startswith("1823") or code.startswith("186")
                or code.startswith("20")):
            out.add("KILL")
    return out


def predict_sentence_labels(gold_doc, system_doc, stats, modalities=None):
    """List (one per gold sentence) of the sets of questions the system answers "yes"."""
    preds = [set() for _ in gold_doc.sents]
    if system_doc is None:
        return preds
    text = gold_doc.text
    docinfo = system_doc.get("document") or {}
    sha = docinfo.get("sha256")
    if sha and sha != hashlib.sha256(text.encode("utf-8")).hexdigest():
        stats["text_mismatch"] += 1
    unit = (system_doc.get("offsets") or {}).get("unit", "codepoint")
    umap = _unit_to_codepoint_map(text, unit)
    sidx = SentenceIndex(align_sentences(text, [s.text for s in gold_doc.sents]))
    index = annotation_index(system_doc)
    for ev in system_doc.get("events") or []:
        stats["events"] += 1
        span = ev.get("span")
        if not span:
            stats["events_without_span"] += 1
            continue
        b = span[0]
        if umap is not None:
            b = umap[min(max(b, 0), len(umap) - 1)]
        i, inside = sidx.find(b)
        if i is None:
            continue
        if not inside:
            stats["events_between_sentences"] += 1
        qs = event_questions(ev, index, modalities)
        if qs:
            stats["police_events"] += 1
        preds[i] |= qs
    return preds


# --------------------------------------------------------------------------- keyword baseline

def baseline_labels(sentence):
    """Questions the paper's keyword baseline answers "yes" for one sentence."""
    s = sentence.lower()

    def has(lists):
        return any(w in s for name in lists for w in BASELINE_KEYWORDS[name])

    if not has(("police", "police_acronyms")):
        return set()
    return {q for q, lists in BASELINE_RULES.items() if not lists or has(lists)}


# --------------------------------------------------------------------------- scoring

def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score_labels(gold_sets, pred_sets):
    """Per question P/R/F1 over sentences; plus the macro average of the five F1."""
    out = collections.OrderedDict()
    for q in QUESTIONS:
        tp = fp = fn = 0
        for g, p in zip(gold_sets, pred_sets):
            if q in p and q in g:
                tp += 1
            elif q in p:
                fp += 1
            elif q in g:
                fn += 1
        p, r, f = prf(tp, fp, fn)
        out[q] = {"p": p, "r": r, "f1": f, "tp": tp, "fp": fp, "fn": fn, "support": tp + fn}
    out["macro"] = {k: sum(out[q][k] for q in QUESTIONS) / len(QUESTIONS) for k in ("p", "r", "f1")}
    return out


def run_baseline(docs):
    gold, pred = [], []
    for d in docs:
        for s in d.sents:
            gold.append(s.labels)
            pred.append(baseline_labels(s.text))
    return score_labels(gold, pred)


def format_table(title, scores):
    lines = [title,
             "%-11s %6s %6s %6s %5s %5s %5s %7s" % ("question", "P", "R", "F1", "TP", "FP", "FN",
                                                   "support")]
    for q in QUESTIONS:
        s = scores[q]
        lines.append("%-11s %6.3f %6.3f %6.3f %5d %5d %5d %7d" % (
            q, s["p"], s["r"], s["f1"], s["tp"], s["fp"], s["fn"], s["support"]))
    m = scores["macro"]
    lines.append("%-11s %6.3f %6.3f %6.3f" % ("macro", m["p"], m["r"], m["f1"]))
    return "\n".join(lines)


def parse_floors(specs):
    floors = collections.OrderedDict()
    for spec in specs or []:
        for part in spec.split(","):
            part = part.strip()
            if not part:
                continue
            q, sep, v = part.partition("=")
            q = q.strip().upper()
            if not sep or (q not in QUESTIONS and q != "MACRO"):
                raise DataError("--fail-under wants QUESTION=F1 with QUESTION one of %s or "
                                "MACRO, got %r" % (", ".join(QUESTIONS), part))
            try:
                floors[q] = float(v)
            except ValueError:
                raise DataError("--fail-under: %r is not a number" % v)
    return floors


def check_floors(scores, floors, what):
    failed = 0
    for q, floor in floors.items():
        f1 = scores["macro" if q == "MACRO" else q]["f1"]
        if f1 < floor:
            print("below floor: %s %s F1 %.3f < %.3f" % (what, q, f1, floor), file=sys.stderr)
            failed += 1
    return failed


# --------------------------------------------------------------------------- commands

def cmd_prepare(args):
    docs = load_gold(resolve_data_dir(args.data), args.half)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for d in docs:
            rec = {"id": str(d.doc_id), "text": d.text}
            if d.date:
                rec["dct"] = d.date
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    print("%d documents (half %s)" % (len(docs), args.half), file=sys.stderr)
    return 0


def _header(docs, half):
    return {"dataset": "IndiaPoliceEvents dev", "half": half, "documents": len(docs),
            "sentences": sum(len(d.sents) for d in docs)}


def cmd_baseline(args):
    docs = load_gold(resolve_data_dir(args.data), args.half)
    floors = parse_floors(args.fail_under)
    scores = run_baseline(docs)
    head = _header(docs, args.half)
    if args.json:
        print(json.dumps(dict(head, baseline=scores), indent=1))
    else:
        print(format_table("keyword baseline (Halterman et al. 2021), half %s: %d documents, "
                           "%d sentences" % (args.half, head["documents"], head["sentences"]),
                           scores))
    return 1 if check_floors(scores, floors, "baseline") else 0


def cmd_score(args):
    docs = load_gold(resolve_data_dir(args.data), args.half)
    floors = parse_floors(args.fail_under)
    # Unrealised events (planned, possible, threatened, attempted) did not happen: "the leaders
    # should be arrested" is no arrest. `--modality all` counts them too.
    modalities = {"realised"}
    if args.modality:
        modalities = None if args.modality == "all" else \
            {m.strip() for m in args.modality.split(",") if m.strip()}
    system_docs = read_system(args.system)
    matched = match_system_docs(docs, system_docs)
    missing = [d.doc_id for d in docs if d.doc_id not in matched]
    if missing:
        print("warning: %d of %d documents of half %s have no system output (scored as no "
              "events), e.g. %s" % (len(missing), len(docs), args.half,
                                    ", ".join(map(str, missing[:5]))), file=sys.stderr)
    stats = collections.Counter()
    gold, pred, where = [], [], []
    unaligned = 0
    for d in docs:
        spans = align_sentences(d.text, [s.text for s in d.sents])
        unaligned += sum(1 for sp in spans if sp is None)
        labels = predict_sentence_labels(d, matched.get(d.doc_id), stats, modalities)
        for s, p in zip(d.sents, labels):
            gold.append(s.labels)
            pred.append(p)
            where.append((d.doc_id, s))
    if stats["text_mismatch"]:
        print("warning: %d system documents hold a different text (sha256) than the gold"
              % stats["text_mismatch"], file=sys.stderr)
    if unaligned:
        print("warning: %d gold sentences could not be aligned to their document" % unaligned,
              file=sys.stderr)
    scores = score_labels(gold, pred)
    base = None if args.no_baseline else run_baseline(docs)
    head = _header(docs, args.half)
    info = {"system": args.system, "system_documents": len(system_docs),
            "matched_documents": len(matched), "missing_documents": len(missing),
            "unaligned_sentences": unaligned,
            "modality": sorted(modalities) if modalities else None}
    info.update({k: stats[k] for k in ("events", "police_events", "events_between_sentences",
                                       "events_without_span", "text_mismatch")})
    if args.json:
        out = dict(head, **info)
        out["scores"] = scores
        if base is not None:
            out["baseline"] = base
        print(json.dumps(out, indent=1))
    else:
        print(format_table(
            "quarry, IndiaPoliceEvents dev half %s: %d documents (%d with output), %d sentences,"
            " %d events (%d by police)" % (args.half, head["documents"], len(matched),
                                           head["sentences"], stats["events"],
                                           stats["police_events"]), scores))
        if base is not None:
            print()
            print(format_table("keyword baseline (Halterman et al. 2021), same sentences", base))
        if args.errors:
            q = args.errors.upper()
            print()
            print("-- %s errors (FP: predicted, not gold; FN: gold, not predicted)" % q)
            for g, p, (doc_id, s) in zip(gold, pred, where):
                if (q in g) != (q in p):
                    print("%s doc %s sent %d: %s" % ("FP" if q in p else "FN", doc_id,
                                                     s.sent_id, s.text[:200]))
    return 1 if check_floors(scores, floors, "quarry") else 0


def build_parser():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", metavar="DIR",
                        help="shared data folder or the indiapoliceevents-dev folder "
                             "(default: ${QUARRY_SHARED:-../shared/data} from the project root)")
    common.add_argument("--half", choices=("A", "B", "all"), default="all",
                        help="A: tuning half, B: held-out half, all: both (default)")
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    pp = sub.add_parser("prepare", parents=[common], help="write quarry's JSONL input")
    pp.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    floors_help = "QUESTION=F1[,...] (QUESTION one of %s, or MACRO); exit 1 below" % (
        ", ".join(QUESTIONS))
    ps = sub.add_parser("score", parents=[common], help="score quarry's output")
    ps.add_argument("system", help="quarry's JSONL output ('-': stdin) or a folder of .json")
    ps.add_argument("--json", action="store_true", help="print the scores as JSON")
    ps.add_argument("--fail-under", action="append", metavar="Q=F1,...", help=floors_help)
    ps.add_argument("--no-baseline", action="store_true", help="leave out the keyword baseline")
    ps.add_argument("--modality", metavar="LIST",
                    help="only events with these modalities (comma-separated); 'all' for every "
                         "modality; default: realised")
    ps.add_argument("--errors", metavar="QUESTION",
                    help="list the false positive and false negative sentences of a question")
    pb = sub.add_parser("baseline", parents=[common], help="the keyword baseline alone")
    pb.add_argument("--json", action="store_true", help="print the scores as JSON")
    pb.add_argument("--fail-under", action="append", metavar="Q=F1,...", help=floors_help)
    return p


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return {"prepare": cmd_prepare, "score": cmd_score, "baseline": cmd_baseline}[
            args.command](args)
    except (DataError, OSError, json.JSONDecodeError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
