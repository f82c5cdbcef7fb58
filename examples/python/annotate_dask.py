#!/usr/bin/env python3
"""Annotate a folder on a Dask cluster: JSON files like `quarry annotate -o`, then an events table.

    python3 examples/python/annotate_dask.py [FOLDER] [OUT] [SCHEDULER]

Without SCHEDULER a LocalCluster of 2 worker processes is started; with one
("tcp://scheduler:8786") the cluster's workers must see FOLDER and OUT under the same paths and
have quarry importable.
"""
import sys
from pathlib import Path

import pandas as pd
from distributed import Client, LocalCluster

import quarry
import quarry.dask as qd


def main():
    root = Path(__file__).resolve().parents[2]
    folder = sys.argv[1] if len(sys.argv) > 1 else str(root / "corpus")
    out = sys.argv[2] if len(sys.argv) > 2 else "out-dask"
    if len(sys.argv) > 3:
        client, cluster = Client(sys.argv[3]), None
    else:
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        nlp = quarry.Pipeline()            # compiled once here, shipped to every worker
        summary = qd.annotate_files([folder], out, nlp, client)
        print({k: v for k, v in summary.items() if k != "records"})

        texts = pd.DataFrame({
            "id": [p.name for p in sorted(Path(folder).rglob("*.txt"))],
            "text": [p.read_text("utf-8") for p in sorted(Path(folder).rglob("*.txt"))],
        })
        events = qd.events_frame(texts, nlp, client, id_column="id").compute()
        print(events[["document", "date", "source_code", "cameo", "target_code",
                      "trigger"]].head(20).to_string(index=False))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


if __name__ == "__main__":
    main()
