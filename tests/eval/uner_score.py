#!/usr/bin/env python3
"""Reference scorer for named-entity predictions on Universal NER (UNER v1) English-EWT.

Reads a UNER .iob2 file (CoNLL-like: "# newdoc id = X" starts a document, "# sent_id = ..." and
"# text = ..." give each sentence's raw text, then one token per line: index, form, BIO tag, -,
annotator) and a predictions JSONL file with one line per sentence:

    {"sent_id": ..., "doc_id": ..., "half": "A"|"B",
     "entities": [{"start": s, "end": e, "type": "PER"|"ORG"|"LOC", "text": ...}]}

Definitions (shared with tests/eval/uner_compromise.mjs and quarry's C++ scorer):
  * A sentence belongs to the most recent "# newdoc id". The half of a document is "A" when
    int(sha256(doc_id).hexdigest(), 16) % 2 == 0, else "B".
  * Gold entities are the BIO spans (B-X starts an entity; I-X continues an open entity of type X,
    and an I-X with no open entity of type X starts one, as conlleval does), turned into
    half-open character offsets, in Unicode code points, into the sentence's "# text" string.
    Tokens are aligned to the text left to right: each token's form is found at or after the
    current position (whitespace between tokens may vary).
  * A predicted entity is correct when its type and exact span equal a gold entity's.
    Predictions are a set per sentence: duplicates of (type, start, end) count once. Only
    PER, ORG and LOC are scored; other types are ignored (with a warning). The predictions'
    "half" and "doc_id" fields are not trusted: the half comes from the gold file.
  * Precision, recall and F1 per type and over the three types (micro), summed over the
    sentences of the chosen half; 0 when a denominator is 0.

Usage:
  uner_score.py [--iob2 FILE] PREDICTIONS.jsonl [--half A|B|all] [--json]
  uner_score.py [--iob2 FILE] --gold-dump OUT.jsonl|- [--half A|B|all]
  uner_score.py [--iob2 FILE] --check-alignment

Standard library only.
"""

import argparse
import hashlib
import json
import os
import sys

TYPES = ("PER", "ORG", "LOC")


def default_iob2():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    shared = os.environ.get("QUARRY_SHARED") or "../shared/data"
    return os.path.normpath(
        os.path.join(root, shared, "uner-english-ewt", "en_ewt-ud-dev.iob2"))


def half_of(doc_id):
    return "A" if int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "B"


class Sentence:
    __slots__ = ("doc_id", "sent_id", "text", "tokens", "line")

    def __init__(self, doc_id, sent_id, text, line):
        self.doc_id = doc_id
        self.sent_id = sent_id
        self.text = text
        self.tokens = []  # (form, tag, line number)
        self.line = line


def read_iob2(path):
    """Returns the sentences of a UNER .iob2 file, in file order."""
    sentences = []
    doc_id = None
    sent_id = None
    text = None
    current = None
    with open(path, encoding="utf-8", newline="\n") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if line.startswith("#"):
                body = line[1:].lstrip(" ")
                key, sep, value = body.partition("=")
                key = key.strip()
                if not sep:
                    continue
                value = value[1:] if value.startswith(" ") else value
                if key == "newdoc id":
                    doc_id = value.strip()
                elif key == "sent_id":
                    sent_id = value.strip()
                elif key == "text":
                    text = value
                continue
            if not line.strip():
                current = None
                continue
            if current is None:
                if sent_id is None or text is None:
                    raise ValueError(f"{path}:{lineno}: token line before '# sent_id' and '# text'")
                if doc_id is None:
                    raise ValueError(f"{path}:{lineno}: sentence before any '# newdoc id'")
                current = Sentence(doc_id, sent_id, text, lineno)
                sentences.append(current)
                sent_id = None
                text = None
            cols = line.split("\t")
            if len(cols) < 3:
                raise ValueError(f"{path}:{lineno}: expected at least 3 tab-separated columns")
            current.tokens.append((cols[1], cols[2].strip(), lineno))
    return sentences


def align(sentence, problems=None):
    """Code-point [start, end) of each token in sentence.text, left to right.

    A form is searched at or after the current position. If the text skipped over before it is
    not whitespace, that is reported as an alignment problem (the span is still taken). A form
    that cannot be found raises ValueError.
    """
    spans = []
    pos = 0
    text = sentence.text
    for form, _tag, lineno in sentence.tokens:
        i = text.find(form, pos)
        if i < 0:
            raise ValueError(
                f"line {lineno}: token {form!r} of {sentence.sent_id} not found in its text "
                f"at or after offset {pos}")
        if problems is not None and text[pos:i].strip():
            problems.append(
                f"line {lineno}: {sentence.sent_id}: token {form!r} found at {i}, skipping "
                f"non-space text {text[pos:i]!r}")
        spans.append((i, i + len(form)))
        pos = i + len(form)
    if problems is not None and text[pos:].strip():
        problems.append(f"{sentence.sent_id}: text after the last token: {text[pos:]!r}")
    return spans


def gold_entities(sentence, problems=None):
    """The gold entities of a sentence: list of (type, start, end), code points, half-open."""
    spans = align(sentence, problems)
    entities = []
    open_type = None
    start = end = None
    for (form, tag, lineno), (s, e) in zip(sentence.tokens, spans):
        prefix, _, typ = tag.partition("-")
        if prefix == "I" and open_type == typ:
            end = e
            continue
        if open_type is not None:
            entities.append((open_type, start, end))
            open_type = None
        if prefix in ("B", "I"):
            if prefix == "I" and problems is not None:
                problems.append(f"line {lineno}: {sentence.sent_id}: {tag} without an open "
                                f"{typ} entity: starts one")
            open_type, start, end = typ, s, e
        elif tag != "O" and problems is not None:
            problems.append(f"line {lineno}: {sentence.sent_id}: unknown tag {tag!r}")
    if open_type is not None:
        entities.append((open_type, start, end))
    return entities


def read_predictions(path, halves=None):
    """{sent_id: set of (type, start, end)}; fills halves with the lines' "half" fields."""
    preds = {}
    halves = {} if halves is None else halves
    stream = sys.stdin if path == "-" else open(path, encoding="utf-8")
    try:
        for lineno, line in enumerate(stream, 1):
            if not line.strip():
                continue
            obj = json.loads(line)
            sid = obj.get("sent_id")
            if sid is None:
                raise ValueError(f"{path}:{lineno}: no sent_id")
            ents = preds.setdefault(sid, set())
            for ent in obj.get("entities") or []:
                try:
                    ents.add((str(ent["type"]), int(ent["start"]), int(ent["end"])))
                except (KeyError, TypeError, ValueError) as e:
                    raise ValueError(f"{path}:{lineno}: malformed entity {ent!r}: "
                                     f"needs type, start and end") from e
            if "half" in obj:
                halves[sid] = obj["half"]
    finally:
        if stream is not sys.stdin:
            stream.close()
    return preds


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(sentences, preds, half, pred_halves=None):
    counts = {t: [0, 0, 0] for t in TYPES}  # tp, fp, fn
    warnings = []
    ignored_types = {}
    seen = set()
    n = 0
    for s in sentences:
        if half != "all" and half_of(s.doc_id) != half:
            continue
        n += 1
        seen.add(s.sent_id)
        gold = set(gold_entities(s))
        pred = set()
        for ent in preds.get(s.sent_id, ()):
            if ent[0] in TYPES:
                pred.add(ent)
            else:
                ignored_types[ent[0]] = ignored_types.get(ent[0], 0) + 1
        for typ in TYPES:
            g = {x for x in gold if x[0] == typ}
            p = {x for x in pred if x[0] == typ}
            tp = len(g & p)
            counts[typ][0] += tp
            counts[typ][1] += len(p) - tp
            counts[typ][2] += len(g) - tp
    all_ids = {s.sent_id for s in sentences}
    unknown = [sid for sid in preds if sid not in all_ids]
    if unknown:
        warnings.append(f"{len(unknown)} predicted sent_id(s) not in the gold file, e.g. {unknown[0]}")
    if pred_halves:
        wrong = [s.sent_id for s in sentences
                 if s.sent_id in pred_halves and pred_halves[s.sent_id] != half_of(s.doc_id)]
        if wrong:
            warnings.append(f"{len(wrong)} prediction line(s) give a half that differs from the "
                            f"gold file's, e.g. {wrong[0]} (the gold file's half is used)")
    missing = [sid for sid in seen if sid not in preds]
    if missing:
        warnings.append(f"{len(missing)} scored sentence(s) have no prediction line "
                        f"(scored as predicting nothing)")
    for typ, k in sorted(ignored_types.items()):
        warnings.append(f"{k} predicted entit(ies) of type {typ!r} ignored")
    result = {"half": half, "sentences": n, "types": {}}
    tot = [0, 0, 0]
    for typ in TYPES:
        tp, fp, fn = counts[typ]
        p, r, f = prf(tp, fp, fn)
        result["types"][typ] = {"tp": tp, "fp": fp, "fn": fn, "gold": tp + fn,
                                "predicted": tp + fp, "precision": p, "recall": r, "f1": f}
        tot = [a + b for a, b in zip(tot, counts[typ])]
    p, r, f = prf(*tot)
    result["overall"] = {"tp": tot[0], "fp": tot[1], "fn": tot[2], "gold": tot[0] + tot[2],
                         "predicted": tot[0] + tot[1], "precision": p, "recall": r, "f1": f}
    return result, warnings


def print_table(result, out=sys.stdout):
    out.write(f"half {result['half']}: {result['sentences']} sentences\n")
    out.write(f"{'type':<8}{'gold':>6}{'pred':>6}{'tp':>6}{'P':>8}{'R':>8}{'F1':>8}\n")
    rows = [(t, result["types"][t]) for t in TYPES] + [("all", result["overall"])]
    for name, m in rows:
        out.write(f"{name:<8}{m['gold']:>6}{m['predicted']:>6}{m['tp']:>6}"
                  f"{m['precision']:>8.4f}{m['recall']:>8.4f}{m['f1']:>8.4f}\n")


def gold_dump(sentences, half, out):
    for s in sentences:
        h = half_of(s.doc_id)
        if half != "all" and h != half:
            continue
        ents = [{"start": a, "end": b, "type": t, "text": s.text[a:b]}
                for t, a, b in gold_entities(s)]
        out.write(json.dumps({"sent_id": s.sent_id, "doc_id": s.doc_id, "half": h,
                              "entities": ents}, ensure_ascii=False) + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("predictions", nargs="?", help="predictions JSONL ('-' for stdin)")
    ap.add_argument("--iob2", default=None, help="UNER .iob2 file (default: $QUARRY_SHARED or ../shared/data, relative to the project root, + /uner-english-ewt/en_ewt-ud-dev.iob2)")
    ap.add_argument("--half", choices=("A", "B", "all"), default="all")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--gold-dump", metavar="OUT", help="write the gold spans as predictions "
                    "JSONL ('-' for stdout) and exit")
    ap.add_argument("--check-alignment", action="store_true",
                    help="list alignment and BIO problems in the gold file and exit")
    args = ap.parse_args(argv)
    iob2 = args.iob2 or default_iob2()
    if not os.path.exists(iob2):
        sys.stderr.write(f"uner_score: no such file: {iob2}\n")
        return 2
    sentences = read_iob2(iob2)

    if args.check_alignment:
        problems = []
        n = 0
        for s in sentences:
            n += len(gold_entities(s, problems))
        for p in problems:
            print(p)
        print(f"{len(sentences)} sentences, {n} gold entities, {len(problems)} problem(s)")
        return 0
    if args.gold_dump:
        if args.gold_dump == "-":
            gold_dump(sentences, args.half, sys.stdout)
        else:
            with open(args.gold_dump, "w", encoding="utf-8") as out:
                gold_dump(sentences, args.half, out)
        return 0
    if not args.predictions:
        ap.error("a predictions file is required (or --gold-dump / --check-alignment)")
    pred_halves = {}
    try:
        preds = read_predictions(args.predictions, pred_halves)
    except (OSError, ValueError) as e:
        sys.stderr.write(f"uner_score: {e}\n")
        return 2
    result, warnings = score(sentences, preds, args.half, pred_halves)
    for w in warnings:
        sys.stderr.write(f"uner_score: warning: {w}\n")
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
