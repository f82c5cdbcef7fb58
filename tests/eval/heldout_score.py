#!/usr/bin/env python3
"""Scores quarry's events (and, through `quarry eval`, its entities and timexes) on the held-out
news set corpus/heldout/ (five stories, hand-made gold in corpus/heldout/gold/; see its
README.md). The set is for measuring, never for tuning.

  build/tools/quarry annotate -q -o OUT corpus/heldout/
  python3 tests/eval/heldout_score.py --gold corpus/heldout/gold --system OUT
        [--events-only] [--json] [--fail-under FULL_F1] [--diff realised|all|none] [--all-codes]

Documents: gold NAME.events.json is paired with system NAME.json (falling back to the system
file whose document id is the gold's). A gold document without a system file is scored as if
the system found nothing (with a warning); system files without gold are ignored.

Matching, per document, one-to-one: a system event can match a gold event when their trigger
spans (half-open code-point offsets) overlap; in the all-modalities table their modality must
also agree. Among all such pairs the best-scoring pair is taken first (greedy), then the next
best among the free events, and so on. The score of a pair compares, in this order: CAMEO root
agrees, CAMEO code agrees, system code in scope (below), source agrees, target agrees, date
agrees (lenient), spans identical, span overlap / span union; ties go to the earlier gold
event, then the earlier system event (deterministic).

Scopes (two tables):
  realised, positive   gold and system events each restricted to modality "realised" and
                       polarity "positive" before matching (a system event with another
                       modality on a gold realised trigger is a miss, not a match).
  all modalities       every event; a match needs the same modality. The gold writes negated
                       events as modality "negated" (polarity "negative"); quarry writes them
                       as polarity "negative" with a modality. Both are compared as
                       mood = "negated" if polarity is "negative", else the modality.
                       (quarry's "attempted" has no gold counterpart and never agrees.)
Out of scope: the gold does not annotate statements and appeals (CAMEO roots 01, 02; not in
CAMEO2PLOVER-2021.txt). A system event with root 01 or 02 that matches no gold event is left
out of precision (counted and reported); one that matches a gold event is scored like any other
(its code will disagree). --all-codes counts the unmatched ones as false hits too.

Rows (n: matched pairs whose gold gives the field; agree: of those, how many agree;
acc = agree / n; P, R, F1 are strict: an event is correct when it matches and the field agrees,
a gold field given as absent being satisfied by anything; P over system events, R over gold):
  trigger       the match itself (overlap).
  code root     first two digits of the CAMEO code equal; code exact: the codes equal.
  source code   system source_code == gold source_code.
  source text   the text of a system "source" argument contains, or is contained in, the text
                of a gold source argument: case-insensitive, punctuation and possessive 's
                ignored, the word "the" ignored, containment at word boundaries; any pair of
                arguments will do (compound actors).
  source code|text  either of the two.  target code / text / code|text: the same for targets.
  date exact    system date == gold date (ISO strings); date lenient: one is a prefix of the
                other (2025-03 ~ 2025-03-04, 2024-W10 ~ 2024-W10-WE; a day is NOT matched to
                the ISO week holding it). A system event without a date disagrees.
  fatalities    system fatalities == gold fatalities, on matched pairs whose gold has them
                (agreement rate only).
  full          trigger overlaps AND root code agrees AND source agrees (code or text) AND
                date agrees (lenient); a gold event without a source (no source_code and no
                source argument) or without a date is satisfied by anything for that field.
                Targets and fatalities are not part of "full".

Also (unless --events-only) runs `quarry eval` once per layer, with the gold files of that layer
only: entities with `--features entity`, timexes with `--features value`, and prints its header
and "(all)" line (P R F1 exact spans | overlap | strict with the feature | tp fp fn). The binary
is $QUARRY, else build/tools/quarry under the project root.

The diff (default: the realised, positive scope) lists
  MISS   gold event with no system match
  FALSE  system event with no gold match (in-scope codes, or all with --all-codes)
  WRONG  matched pair that is not correct under "full"; gold|system values, '*' marks each
         field that disagrees (target and fatalities are marked but do not make a pair WRONG)

--fail-under F: exit 1 when the "full" F1 of the realised, positive table is below F.
Exit status: 0; 1 under the floor; 2 bad usage, unreadable input or a failing quarry eval;
77 when the gold folder is absent (test skip). Standard library only.
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_OF_SCOPE_ROOTS = ("01", "02")
SCOPES = (("realised_positive", "realised, positive events: gold and system restricted to "
                                "modality \"realised\", polarity \"positive\""),
          ("all_modalities", "all modalities: every event, matches need the same modality "
                             "(negated = polarity negative)"))
ROWS = ("trigger", "code_root", "code_exact",
        "source_code", "source_text", "source_either",
        "target_code", "target_text", "target_either",
        "date_exact", "date_lenient", "fatalities", "full")
ROW_LABELS = {"trigger": "trigger (overlap)", "code_root": "code root", "code_exact": "code exact",
              "source_code": "source code", "source_text": "source text",
              "source_either": "source code|text", "target_code": "target code",
              "target_text": "target text", "target_either": "target code|text",
              "date_exact": "date exact", "date_lenient": "date lenient",
              "fatalities": "fatalities", "full": "full",
              "trigger_any_modality": "trigger, any modality"}


class DataError(Exception):
    pass


# ----------------------------------------------------------------------------------------- input

def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise DataError("cannot read %s: %s" % (path, e))


def norm_event(e, i):
    """The fields the scorer compares, from a gold or a system event."""
    span = e.get("span")
    if not (isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span)):
        raise DataError("event %r has no [b, e] span" % e.get("id", i))
    cameo = e.get("cameo")
    cameo = str(cameo) if cameo not in (None, "") else ""
    modality = e.get("modality") or "realised"
    polarity = e.get("polarity") or "positive"
    args = e.get("args") or []
    fat = e.get("fatalities")
    return {
        "i": i, "id": e.get("id", str(i)), "b": span[0], "e": span[1], "text": e.get("text", ""),
        "cameo": cameo, "root": cameo[:2],
        "modality": modality, "polarity": polarity,
        "mood": "negated" if polarity == "negative" else modality,
        "source_code": e.get("source_code") or None, "target_code": e.get("target_code") or None,
        "sources": [a.get("text", "") for a in args if a.get("role") == "source" and a.get("text")],
        "targets": [a.get("text", "") for a in args if a.get("role") == "target" and a.get("text")],
        "date": e.get("date") or None,
        "fatalities": fat if isinstance(fat, int) and not isinstance(fat, bool) else None,
    }


def load_documents(gold_dir, system_dir):
    gold_files = sorted(glob.glob(os.path.join(gold_dir, "*.events.json")))
    if not gold_files:
        raise DataError("no *.events.json in %s" % gold_dir)
    if not os.path.isdir(system_dir):
        raise DataError("system folder %s not found" % system_dir)
    by_id = {}
    for p in sorted(glob.glob(os.path.join(system_dir, "*.json"))):
        try:
            d = load_json(p)
        except DataError:
            continue
        doc_id = (d.get("document") or {}).get("id") if isinstance(d, dict) else None
        if doc_id:
            by_id.setdefault(doc_id, p)
    docs = []
    for gp in gold_files:
        name = os.path.basename(gp)[:-len(".events.json")]
        g = load_json(gp)
        gdoc = g.get("document") or {}
        sp = os.path.join(system_dir, name + ".json")
        if not os.path.exists(sp):
            sp = by_id.get(gdoc.get("id"))
        if sp is None:
            sys.stderr.write("warning: no system file for %s; scored as empty\n" % name)
            s = {"events": []}
        else:
            s = load_json(sp)
            sdoc = s.get("document") or {}
            if gdoc.get("sha256") and sdoc.get("sha256") and gdoc["sha256"] != sdoc["sha256"]:
                sys.stderr.write("warning: %s: system text differs from the gold's (sha256); "
                                 "offsets may not line up\n" % name)
        docs.append({
            "name": name,
            "gold": [norm_event(e, i) for i, e in enumerate(g.get("events") or [])],
            "system": [norm_event(e, i) for i, e in enumerate(s.get("events") or [])],
        })
    return docs


# ------------------------------------------------------------------------------------ agreement

_WORD = re.compile(r"[^\W_]+")


def text_tokens(s):
    s = re.sub(r"['\u2019]s\b", "", s.casefold())
    return tuple(t for t in _WORD.findall(s) if t != "the")


def contains(big, small):
    n = len(small)
    return n > 0 and any(big[k:k + n] == small for k in range(len(big) - n + 1))


def texts_agree(gold_texts, sys_texts):
    for gt in gold_texts:
        a = text_tokens(gt)
        for st in sys_texts:
            b = text_tokens(st)
            if contains(a, b) or contains(b, a):
                return True
    return False


def dates_lenient(g, s):
    return bool(g and s and (g.startswith(s) or s.startswith(g)))


def compare(g, s):
    """Per-field agreement of a matched pair: {row: (applicable, agrees)}; 'applicable' means
    the gold gives the field (strict P/R/F1 count a non-applicable field as satisfied)."""
    r = {}
    r["code_root"] = (True, g["root"] == s["root"] and g["root"] != "")
    r["code_exact"] = (True, g["cameo"] == s["cameo"] and g["cameo"] != "")
    for role in ("source", "target"):
        code, texts = g[role + "_code"], g[role + "s"]
        c = code is not None and s[role + "_code"] == code
        t = bool(texts) and texts_agree(texts, s[role + "s"])
        r[role + "_code"] = (code is not None, c)
        r[role + "_text"] = (bool(texts), t)
        r[role + "_either"] = (code is not None or bool(texts), c or t)
    r["date_exact"] = (g["date"] is not None, g["date"] is not None and s["date"] == g["date"])
    r["date_lenient"] = (g["date"] is not None, dates_lenient(g["date"], s["date"]))
    r["fatalities"] = (g["fatalities"] is not None,
                       g["fatalities"] is not None and s["fatalities"] == g["fatalities"])

    def ok(row):
        applicable, agrees = r[row]
        return agrees or not applicable
    r["full"] = (True, ok("code_root") and ok("source_either") and ok("date_lenient"))
    return r


def in_scope(s, all_codes):
    return all_codes or s["root"] not in OUT_OF_SCOPE_ROOTS


# ------------------------------------------------------------------------------------- matching

def overlaps(g, s):
    return g["b"] < s["e"] and s["b"] < g["e"]


def pair_score(g, s):
    r = compare(g, s)
    union = max(g["e"], s["e"]) - min(g["b"], s["b"])
    inter = min(g["e"], s["e"]) - max(g["b"], s["b"])
    return (r["code_root"][1], r["code_exact"][1], s["root"] not in OUT_OF_SCOPE_ROOTS,
            r["source_either"][1], r["target_either"][1], r["date_lenient"][1],
            (g["b"], g["e"]) == (s["b"], s["e"]), inter / union if union > 0 else 1.0)


def match(gold, system, need_mood):
    """Greedy one-to-one matching by best score; returns [(gold_index, system_index)]."""
    cands = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(system):
            if overlaps(g, s) and (not need_mood or g["mood"] == s["mood"]):
                cands.append((pair_score(g, s), gi, si))
    cands.sort(key=lambda c: (tuple(-float(x) for x in c[0]), gold[c[1]]["b"], c[1],
                              system[c[2]]["b"], c[2]))
    used_g, used_s, pairs = set(), set(), []
    for _, gi, si in cands:
        if gi in used_g or si in used_s:
            continue
        used_g.add(gi)
        used_s.add(si)
        pairs.append((gi, si))
    pairs.sort()
    return pairs


# -------------------------------------------------------------------------------------- scoring

def prf(correct, nsys, ngold):
    p = correct / nsys if nsys else 0.0
    r = correct / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score_scope(docs, scope, all_codes):
    realised_only = scope == "realised_positive"
    need_mood = scope == "all_modalities"
    tot = {"gold": 0, "system": 0, "matched": 0, "set_aside": 0}
    rows = {row: {"n": 0, "agree": 0, "correct": 0} for row in ROWS}
    any_mod_matched = 0
    per_doc, diff = [], []
    for d in docs:
        keep = (lambda e: e["modality"] == "realised" and e["polarity"] == "positive") \
            if realised_only else (lambda e: True)
        gold = [e for e in d["gold"] if keep(e)]
        system = [e for e in d["system"] if keep(e)]
        pairs = match(gold, system, need_mood)
        if need_mood:
            any_mod_matched += len(match(gold, system, False))
        mg = {gi for gi, _ in pairs}
        ms = {si for _, si in pairs}
        unmatched_sys = [s for si, s in enumerate(system) if si not in ms]
        false_hits = [s for s in unmatched_sys if in_scope(s, all_codes)]
        set_aside = len(unmatched_sys) - len(false_hits)
        nsys = len(system) - set_aside
        doc = {"name": d["name"], "gold": len(gold), "system": nsys, "matched": len(pairs),
               "set_aside": set_aside, "full": 0}
        tot["gold"] += len(gold)
        tot["system"] += nsys
        tot["matched"] += len(pairs)
        tot["set_aside"] += set_aside
        rows["trigger"]["n"] += len(pairs)
        rows["trigger"]["agree"] += len(pairs)
        rows["trigger"]["correct"] += len(pairs)
        for gi, si in pairs:
            g, s = gold[gi], system[si]
            r = compare(g, s)
            for row, (applicable, agrees) in r.items():
                if applicable:
                    rows[row]["n"] += 1
                    rows[row]["agree"] += agrees
                rows[row]["correct"] += agrees or not applicable
            doc["full"] += r["full"][1]
            if not r["full"][1]:
                diff.append(diff_entry(d["name"], "WRONG", g, s, r))
        for gi, g in enumerate(gold):
            if gi not in mg:
                diff.append(diff_entry(d["name"], "MISS", g, None, None))
        for s in false_hits:
            diff.append(diff_entry(d["name"], "FALSE", None, s, None))
        per_doc.append(doc)
    table = {}
    for row in ROWS:
        c = rows[row]
        p, r, f = prf(c["correct"], tot["system"], tot["gold"])
        entry = {"n": c["n"], "agree": c["agree"],
                 "accuracy": (c["agree"] / c["n"]) if c["n"] else None}
        if row != "fatalities":
            entry.update({"correct": c["correct"], "p": p, "r": r, "f1": f})
        table[row] = entry
    result = {"counts": tot, "rows": table, "documents": per_doc, "diff": diff}
    if need_mood:
        p, r, f = prf(any_mod_matched, tot["system"], tot["gold"])
        result["trigger_any_modality"] = {"matched": any_mod_matched, "p": p, "r": r, "f1": f}
    return result


def diff_entry(doc, kind, g, s, r):
    def fields(e):
        if e is None:
            return None
        return {k: e[k] for k in ("b", "e", "text", "cameo", "mood", "source_code", "sources",
                                  "target_code", "targets", "date", "fatalities")}
    out = {"doc": doc, "kind": kind, "gold": fields(g), "system": fields(s)}
    if r is not None:
        out["disagree"] = [k for k in ("code_exact", "source_either", "target_either",
                                       "date_lenient", "fatalities")
                           if r[k][0] and not r[k][1]]
        if not r["code_root"][1] and "code_exact" not in out["disagree"]:
            out["disagree"].insert(0, "code_exact")
    return out


# --------------------------------------------------------------------------------- quarry eval

def quarry_bin():
    return os.environ.get("QUARRY") or os.path.join(ROOT, "build", "tools", "quarry")


def run_quarry_eval(gold_dir, system_dir, layer, feature):
    exe = quarry_bin()
    if not os.path.exists(exe):
        raise DataError("quarry binary %s not found (set QUARRY, or use --events-only)" % exe)
    files = sorted(glob.glob(os.path.join(gold_dir, "*.%s.json" % layer)))
    if not files:
        return None
    with tempfile.TemporaryDirectory(prefix="heldout-%s-" % layer) as tmp:
        for f in files:
            os.symlink(os.path.abspath(f), os.path.join(tmp, os.path.basename(f)))
        cmd = [exe, "eval", "--gold", tmp, "--system", system_dir, "--features", feature,
               "--no-diff"]
        # The gold marks named entities; quarry's entity layer also holds generic actors (type
        # ACTOR: "Pakistani police"), which the gold does not annotate.
        if layer == "entities":
            cmd += ["--types", "PERSON,ORG,GPE,LOC,FAC,NORP"]
        p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        raise DataError("%s failed (exit %d):\n%s" % (" ".join(cmd), p.returncode, p.stderr))
    header = line = None
    section = None
    for ln in p.stdout.splitlines():
        if ln.startswith("== "):
            section = ln[3:].strip()
        elif section == layer and ln.startswith("type ") and header is None:
            header = ln
        elif section == layer and ln.startswith("(all)") and line is None:
            line = ln
    if line is None:
        raise DataError("no \"(all)\" line for %s in the output of %s:\n%s%s"
                        % (layer, " ".join(cmd), p.stdout, p.stderr))
    nums = re.findall(r"-?\d+(?:\.\d+)?", line)
    keys = ("p", "r", "f1", "overlap_p", "overlap_r", "overlap_f1",
            "strict_p", "strict_r", "strict_f1", "tp", "fp", "fn")
    values = {}
    if len(nums) == len(keys):
        values = {k: (int(v) if k in ("tp", "fp", "fn") else float(v)) for k, v in zip(keys, nums)}
    return {"feature": feature, "header": header, "line": line, "values": values,
            "command": " ".join(cmd[:2] + ["--gold", "GOLD/*.%s.json" % layer] + cmd[5:])}


# ------------------------------------------------------------------------------------- printing

def fmt(x, width=6):
    return ("%*.3f" % (width, x)) if isinstance(x, float) else ("%*s" % (width, "-"))


def print_table(title, res):
    c = res["counts"]
    print("== " + title)
    print("gold %d  system %d  matched %d  (unmatched system events with CAMEO root 01/02, left "
          "out: %d)" % (c["gold"], c["system"], c["matched"], c["set_aside"]))
    print("%-22s %5s %6s %6s | %6s %6s %6s" % ("measure", "n", "agree", "acc", "P", "R", "F1"))
    for row in ROWS:
        e = res["rows"][row]
        if row == "trigger":
            print("%-22s %5s %6d %6s | %s %s %s" % (ROW_LABELS[row], "-", e["agree"], "-",
                                                     fmt(e["p"]), fmt(e["r"]), fmt(e["f1"])))
        else:
            print("%-22s %5d %6d %s | %s %s %s" % (ROW_LABELS[row], e["n"], e["agree"],
                                                    fmt(e["accuracy"]), fmt(e.get("p")),
                                                    fmt(e.get("r")), fmt(e.get("f1"))))
    if "trigger_any_modality" in res:
        t = res["trigger_any_modality"]
        print("%-22s %5s %6d %6s | %s %s %s   (modality not required; for reference)"
              % (ROW_LABELS["trigger_any_modality"], "-", t["matched"], "-",
                 fmt(t["p"]), fmt(t["r"]), fmt(t["f1"])))
    print("per document: " + "; ".join("%s gold %d sys %d matched %d full %d"
                                       % (d["name"], d["gold"], d["system"], d["matched"],
                                          d["full"]) for d in res["documents"]))
    print()


def show(e):
    def actor(code, texts):
        t = "/".join('"%s"' % x for x in texts)
        return (code or "-") + ((" " + t) if t else "")
    return ('[%d,%d] "%s" %s %s src=%s tgt=%s date=%s%s'
            % (e["b"], e["e"], e["text"], e["cameo"] or "-", e["mood"],
               actor(e["source_code"], e["sources"]), actor(e["target_code"], e["targets"]),
               e["date"] or "-",
               (" fat=%d" % e["fatalities"]) if e["fatalities"] is not None else ""))


def show_pair(g, s, disagree):
    def actor(e, role):
        t = "/".join('"%s"' % x for x in e[role + "s"])
        return (e[role + "_code"] or "-") + ((" " + t) if t else "")
    parts = ['g[%d,%d] "%s" s[%d,%d] "%s"' % (g["b"], g["e"], g["text"], s["b"], s["e"], s["text"]),
             "code %s|%s%s" % (g["cameo"] or "-", s["cameo"] or "-",
                               "*" if "code_exact" in disagree else ""),
             "src %s|%s%s" % (actor(g, "source"), actor(s, "source"),
                              "*" if "source_either" in disagree else ""),
             "tgt %s|%s%s" % (actor(g, "target"), actor(s, "target"),
                              "*" if "target_either" in disagree else ""),
             "date %s|%s%s" % (g["date"] or "-", s["date"] or "-",
                               "*" if "date_lenient" in disagree else "")]
    if g["fatalities"] is not None:
        parts.append("fat %s|%s%s" % (g["fatalities"], s["fatalities"] if s["fatalities"]
                                      is not None else "-",
                                      "*" if "fatalities" in disagree else ""))
    if g["mood"] != s["mood"]:
        parts.append("mood %s|%s" % (g["mood"], s["mood"]))
    return "  ".join(parts)


def print_diff(title, res):
    print("-- diff (%s): MISS gold unmatched, FALSE system unmatched, WRONG matched but not "
          "\"full\" (gold|system, * disagrees)" % title)
    order = {"MISS": 0, "WRONG": 1, "FALSE": 2}

    def key(x):
        e = x["gold"] or x["system"]
        return (x["doc"], e["b"], order[x["kind"]])
    for x in sorted(res["diff"], key=key):
        if x["kind"] == "MISS":
            body = show(x["gold"])
        elif x["kind"] == "FALSE":
            body = show(x["system"])
        else:
            body = show_pair(x["gold"], x["system"], x["disagree"])
        print("%s  %-5s  %s" % (x["doc"], x["kind"], body))
    print()


# ----------------------------------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=os.path.join(ROOT, "corpus", "heldout", "gold"),
                    help="gold folder (NAME.events.json, NAME.entities.json, NAME.timexes.json)")
    ap.add_argument("--system", required=True, help="quarry annotate -o folder (NAME.json)")
    ap.add_argument("--events-only", action="store_true",
                    help="do not run quarry eval on the entity and timex layers")
    ap.add_argument("--json", action="store_true", help="print every figure as JSON")
    ap.add_argument("--fail-under", type=float, metavar="FULL_F1",
                    help="exit 1 when the full F1 (realised, positive) is below this")
    ap.add_argument("--diff", choices=("realised", "all", "none"), default="realised",
                    help="which table's diff to print (default: realised)")
    ap.add_argument("--all-codes", action="store_true",
                    help="count unmatched system events with CAMEO root 01/02 as false hits")
    args = ap.parse_args(argv)

    if not os.path.isdir(args.gold):
        print("skip: gold folder %s is absent" % args.gold)
        return 77
    try:
        docs = load_documents(args.gold, args.system)
        scopes = {name: score_scope(docs, name, args.all_codes) for name, _ in SCOPES}
        layers = {}
        if not args.events_only:
            for layer, feature in (("entities", "entity"), ("timexes", "value")):
                r = run_quarry_eval(args.gold, args.system, layer, feature)
                if r is not None:
                    layers[layer] = r
    except DataError as e:
        sys.stderr.write("heldout_score: %s\n" % e)
        return 2

    full_f1 = scopes["realised_positive"]["rows"]["full"]["f1"]
    below = args.fail_under is not None and full_f1 < args.fail_under
    if args.json:
        out = {"gold": args.gold, "system": args.system,
               "documents": [d["name"] for d in docs],
               "all_codes": args.all_codes,
               "scopes": scopes, "quarry_eval": layers,
               "fail_under": args.fail_under, "below_floor": below}
        print(json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False))
    else:
        print("held-out set: %d document(s): %s" % (len(docs), ", ".join(d["name"] for d in docs)))
        print("n: matched pairs whose gold gives the field; acc = agree/n; P/R/F1 strict "
              "(matched and agreeing; a field absent in the gold is satisfied by anything)")
        print()
        for name, title in SCOPES:
            print_table(title, scopes[name])
        for layer, r in layers.items():
            print("== quarry eval: %s (--features %s)" % (layer, r["feature"]))
            if r["header"]:
                print(r["header"])
            print(r["line"])
            print()
        if args.diff != "none":
            name = "realised_positive" if args.diff == "realised" else "all_modalities"
            print_diff(dict(SCOPES)[name].split(":")[0], scopes[name])
    if below:
        sys.stderr.write("below floor: full F1 %.3f < %.3f\n" % (full_f1, args.fail_under))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
