#!/usr/bin/env python3
"""Annotate the corpus folder with the shipped pipeline and build a pandas events table.

    python3 examples/python/annotate_corpus.py [FOLDER]      (default: corpus/)

After scripts/setup.sh, `import quarry` works (the build tree's package); after
`cmake --install`, put <prefix>/lib/python3.X/dist-packages on PYTHONPATH.
"""
import sys
from pathlib import Path

import pandas as pd

import quarry

folder = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "corpus")
files = sorted(p for p in folder.rglob("*.txt"))

nlp = quarry.Pipeline()  # the shipped gazetteers, rules and temporal grammar
print(nlp)

rows = []
items = ({"id": str(p.relative_to(folder)), "text": p.read_text("utf-8")} for p in files)
for doc in nlp.annotate_many(items, threads=2):
    if isinstance(doc, quarry.Failure):
        print(f"skipped {doc.id}: {doc.error}", file=sys.stderr)
        continue
    for ev in doc.events:
        src, tgt = ev.arg("source"), ev.arg("target")
        rows.append({
            "document": doc.id,
            "date": ev.date,
            "source": src.text if src else None,
            "source_code": ev.source_code,
            "event": ev.type,
            "cameo": ev.cameo,
            "quad_class": ev.quad_class,
            "target": tgt.text if tgt else None,
            "target_code": ev.target_code,
            "trigger": ev.text,
        })

events = pd.DataFrame(rows)
print(f"{len(files)} documents, {len(events)} events")
if len(events):
    print(events.groupby("event").size().sort_values(ascending=False).head(10).to_string())
    print(events[events["date"].notna()].sort_values("date").head(10).to_string(index=False))
