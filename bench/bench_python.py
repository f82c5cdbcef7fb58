#!/usr/bin/env python3
"""bench/bench_python.py: documents per second for the same documents, in one run, through
  - the CLI:                      quarry annotate -j N -q FOLDER -o OUT
  - Python:                       Pipeline.annotate_many(texts, threads=N)
  - Python threads (GIL check):   one and N Python threads calling Pipeline.annotate
  - Dask:                         quarry.dask.annotate_files on a LocalCluster of N worker processes
and each as a ratio to the CLI (goal: Python and Dask >= 0.8). Prints one JSON object per line.

    PYTHONPATH=build/python python3 bench/bench_python.py [--docs 200] [--threads 2]
        [--quarry build/tools/quarry] [--repeat 3]

The documents are made from the corpus's paragraphs (2 to 12 KB each). Each figure is the best
of --repeat runs; the pipeline is compiled once beforehand for Python, saved and loaded by the
workers for Dask (their start-up is timed apart), and the CLI loads the same saved pipeline, so
the CLI's figure includes only its start-up and file I/O beyond the annotation itself.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_docs(folder: Path, n: int):
    paras = []
    for p in sorted((ROOT / "corpus").rglob("*.txt")):
        paras += [x.strip() for x in p.read_text("utf-8").split("\n\n") if x.strip()]
    k = 0
    paths = []
    for i in range(n):
        parts, size = [], 0
        while size < 2000 + (i % 11) * 1000:
            parts.append(paras[k % len(paras)])
            size += len(parts[-1])
            k += 3
        p = folder / f"doc{i:04d}.txt"
        p.write_text("\n\n".join(parts) + "\n", "utf-8")
        paths.append(p)
    return paths


def best(f, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def emit(**kw):
    print(json.dumps(kw), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quarry", default=str(ROOT / "build" / "tools" / "quarry"))
    ap.add_argument("--no-dask", action="store_true")
    a = ap.parse_args()

    import quarry
    tmp = Path(tempfile.mkdtemp(prefix="quarry-bench-"))
    try:
        paths = make_docs(tmp / "in", a.docs) if (tmp / "in").mkdir() is None else []
        texts = [(str(p), p.read_text("utf-8")) for p in paths]
        mb = sum(len(t.encode()) for _, t in texts) / 1e6
        nlp = quarry.Pipeline()
        qpl = tmp / "p.qpl"
        nlp.save(qpl)
        emit(bench="python", what="setup", docs=a.docs, mb=round(mb, 3), threads=a.threads)

        def cli():
            shutil.rmtree(tmp / "cli", ignore_errors=True)
            subprocess.run([a.quarry, "annotate", "-q", "-j", str(a.threads), "--pipeline",
                            str(qpl), str(tmp / "in"), "-o", str(tmp / "cli")], check=True)

        t_cli = best(cli, a.repeat)
        base = a.docs / t_cli
        emit(bench="python", what="cli", threads=a.threads, seconds=round(t_cli, 3),
             docs_per_s=round(base, 1), ratio=1.0)

        def many():
            n = sum(1 for _ in nlp.annotate_many(texts, threads=a.threads))
            assert n == a.docs

        t = best(many, a.repeat)
        emit(bench="python", what="annotate_many", threads=a.threads, seconds=round(t, 3),
             docs_per_s=round(a.docs / t, 1), ratio=round(a.docs / t / base, 3))

        def py_threads(k):
            chunks = [texts[i::k] for i in range(k)]

            def work(c):
                for id_, text in c:
                    nlp.annotate(text, id=id_).to_json()

            ts = [threading.Thread(target=work, args=(c,)) for c in chunks]
            for x in ts:
                x.start()
            for x in ts:
                x.join()

        t1 = best(lambda: py_threads(1), a.repeat)
        tn = best(lambda: py_threads(a.threads), a.repeat)
        emit(bench="python", what="python_threads", threads=1, seconds=round(t1, 3),
             docs_per_s=round(a.docs / t1, 1), ratio=round(a.docs / t1 / base, 3))
        emit(bench="python", what="python_threads", threads=a.threads, seconds=round(tn, 3),
             docs_per_s=round(a.docs / tn, 1), ratio=round(a.docs / tn / base, 3),
             speedup_over_one_thread=round(t1 / tn, 2))

        if not a.no_dask:
            import distributed
            import quarry.dask as qd
            t0 = time.perf_counter()
            cluster = distributed.LocalCluster(n_workers=a.threads, threads_per_worker=1,
                                               processes=True, dashboard_address=None,
                                               silence_logs=40)
            client = distributed.Client(cluster)
            loaded = quarry.Pipeline.load(qpl)
            qd.ship(loaded, client)
            client.run(lambda: None)  # the workers are up and have run the plugin
            startup = time.perf_counter() - t0

            def dask_run():
                shutil.rmtree(tmp / "dask", ignore_errors=True)
                s = qd.annotate_files([str(tmp / "in")], tmp / "dask", loaded, client,
                                      resume=False, partition_size=10)
                assert s["done"] == a.docs, s

            t = best(dask_run, a.repeat)
            emit(bench="python", what="dask", workers=a.threads, seconds=round(t, 3),
                 docs_per_s=round(a.docs / t, 1), ratio=round(a.docs / t / base, 3),
                 cluster_startup_s=round(startup, 2))
            client.close()
            cluster.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
