"""quarry.dask: annotate on a Dask cluster when a corpus outgrows one machine.

    from distributed import Client
    import quarry, quarry.dask

    client = Client("tcp://scheduler:8786")          # or LocalCluster() for one machine
    nlp = quarry.Pipeline.load("world.qpl")           # or quarry.Pipeline(), or a .qpl path
    summary = quarry.dask.annotate_files(["corpus/"], "out/", nlp, client)
    bag = quarry.dask.annotate_bag(dask.bag.from_sequence(texts), nlp, client)
    events = quarry.dask.events_frame(ddf, nlp, client, text_column="body")

The pipeline is compiled (or loaded) once on the client and shipped to the workers as a saved
pipeline in a worker plugin: each worker process loads it once when it joins, including workers
that join or restart later, and reuses it for every task. Nothing is recompiled per task.

Files are read and written by the workers: with a real cluster, input and output folders must be
on storage every worker sees under the same path (NFS, a shared volume). Outputs are written
atomically and named as `quarry annotate -o` names them, so a task that runs twice (after a worker
died) writes the same file again and every document is done exactly once; with resume=True an
output already written by the same pipeline (its "generator" fingerprint) is skipped, as
`quarry annotate --resume` does.
"""
from __future__ import annotations

import io
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

import dask.bag as db

from . import Doc, Failure, Pipeline
from ._quarry import written_by as _written_by

__all__ = ["ship", "annotate_bag", "annotate_files", "list_inputs", "events_frame",
           "written_by", "TEXT_EXTENSIONS"]

# The extensions of the text files a folder is searched for (as `quarry annotate FOLDER`).
TEXT_EXTENSIONS = (".txt", ".text", ".md")

# In each process (a worker, or the client when the scheduler is local): fingerprint -> Pipeline.
_PIPELINES: Dict[str, Pipeline] = {}
_LOCK = threading.Lock()
# (client id, fingerprint) already shipped from this process: a plugin is registered once per
# client; workers that join or restart later get it from the scheduler.
_SHIPPED: set = set()


def _load_blob(blob: bytes) -> Pipeline:
    fd, path = tempfile.mkstemp(suffix=".qpl", prefix="quarry-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        return Pipeline.load(path)
    finally:
        os.unlink(path)


try:  # a worker plugin where distributed is installed; duck-typed otherwise
    from distributed.diagnostics.plugin import WorkerPlugin as _PluginBase
except ImportError:  # pragma: no cover
    _PluginBase = object


class QuarryPipelinePlugin(_PluginBase):
    """A Dask worker plugin that loads a saved pipeline into the worker process once, when the
    worker starts or joins. Registered by ship()."""

    def __init__(self, blob: bytes, fingerprint: str):
        self.blob = blob
        self.fingerprint = fingerprint
        self.name = "quarry-pipeline-" + fingerprint[:16]

    def setup(self, worker=None):
        with _LOCK:
            if self.fingerprint not in _PIPELINES:
                _PIPELINES[self.fingerprint] = _load_blob(self.blob)


def _resolve(pipeline: Union[None, str, os.PathLike, Pipeline]) -> Pipeline:
    if pipeline is None:
        return Pipeline()
    if isinstance(pipeline, Pipeline):
        return pipeline
    return Pipeline.load(pipeline)


def ship(pipeline: Union[None, str, os.PathLike, Pipeline] = None, client=None) -> str:
    """Makes `pipeline` available to every worker of `client` (those there now and any that join
    or restart later) and to this process, and returns its fingerprint, which the task functions
    take. pipeline: a Pipeline, the path of a saved one (.qpl), or None for the shipped data.
    Without a client (or with dask's local schedulers) it is only kept in this process."""
    p = _resolve(pipeline)
    fp = p.fingerprint
    with _LOCK:
        _PIPELINES.setdefault(fp, p)
    if client is not None and (client.id, fp) not in _SHIPPED:
        fd, path = tempfile.mkstemp(suffix=".qpl", prefix="quarry-")
        os.close(fd)
        try:
            p.save(path)
            blob = Path(path).read_bytes()
        finally:
            os.unlink(path)
        plugin = QuarryPipelinePlugin(blob, fp)
        client.register_worker_plugin(plugin, name=plugin.name)
        _SHIPPED.add((client.id, fp))
    return fp


def _get(fingerprint: str) -> Pipeline:
    p = _PIPELINES.get(fingerprint)
    if p is None:
        raise RuntimeError(f"quarry pipeline {fingerprint[:16]} is not on this worker: call "
                           "quarry.dask.ship(pipeline, client) first (the functions of this "
                           "module do)")
    return p


def _failure_record(f: Failure) -> Dict[str, Any]:
    return {"id": f.id, "error": {"code": f.error.code, "message": str(f.error),
                                  "byte_offset": f.error.byte_offset}}


def _annotate_partition(items: List[Any], fingerprint: str, as_json: bool,
                        options: Dict[str, Any]) -> List[Any]:
    p = _get(fingerprint)
    out: List[Any] = []
    for r in p.annotate_many(items, threads=1, **options):
        if isinstance(r, Failure):
            out.append(_failure_record(r))
        else:
            out.append(r.to_json() if as_json else r.to_dict())
    return out


def annotate_bag(bag: db.Bag, pipeline: Union[None, str, os.PathLike, Pipeline] = None,
                 client=None, *, json: bool = False, **options: Any) -> db.Bag:
    """Annotates a bag of documents and returns a bag of results, in the same order.

    An element is what Pipeline.annotate_many takes: a text, an (id, text) pair, or a dict with
    "text" and optional "id", "dct", "mode". A result is the document's JSON parsed into a dict
    (json=True: the JSON string, byte-identical to the CLI's), or for a document that failed
    {"id": ..., "error": {"code", "message", "byte_offset"}}. Elements without an id are named
    "doc-N", counted within their partition: give ids. `options` are annotate()'s (dct is per
    element; offsets, tokens, time_budget, max_bytes, ...)."""
    fp = ship(pipeline, client)
    return bag.map_partitions(_annotate_partition, fp, json, options)


def _output_name(path: str, root: Optional[str]) -> str:
    rel = os.path.relpath(path, root) if root is not None else os.path.basename(path)
    return os.path.splitext(rel)[0] + ".json"


def list_inputs(inputs: Union[str, os.PathLike, Sequence[Union[str, os.PathLike]]],
                out_dir: Union[str, os.PathLike]) -> List[Dict[str, str]]:
    """The jobs `quarry annotate INPUTS -o OUT_DIR` would run: files named as they are, folders
    searched (sorted) for *.txt, *.text and *.md; each {"path", "output"}."""
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    jobs: List[Dict[str, str]] = []
    for given in map(os.fspath, inputs):
        if os.path.isdir(given):
            found = []
            for dirpath, _dirs, files in os.walk(given):
                for f in files:
                    if os.path.splitext(f)[1] in TEXT_EXTENSIONS:
                        found.append(os.path.join(dirpath, f))
            for f in sorted(found):
                jobs.append({"path": f, "output": os.path.join(os.fspath(out_dir),
                                                               _output_name(f, given))})
        else:
            jobs.append({"path": given,
                         "output": os.path.join(os.fspath(out_dir), _output_name(given, None))})
    return jobs


def written_by(output: Union[str, os.PathLike], fingerprint: str) -> bool:
    """Whether the JSON file `output` exists and was written by the pipeline with this
    fingerprint (the rule of `quarry annotate --resume`; quarry::WrittenByPipeline)."""
    return _written_by(os.fspath(output), fingerprint)


def _write_atomic(path: str, data: str) -> None:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".quarry-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _dct_beside(path: str) -> str:
    meta = os.path.splitext(path)[0] + ".meta.json"
    if os.path.isfile(meta):
        with open(meta, encoding="utf-8") as f:
            m = json.load(f)
        if isinstance(m.get("dct"), str):
            return m["dct"]
    return ""


def _files_partition(jobs: List[Dict[str, str]], fingerprint: str, resume: bool,
                     options: Dict[str, Any]) -> List[Dict[str, Any]]:
    p = _get(fingerprint)
    out = []
    for job in jobs:
        rec: Dict[str, Any] = {"path": job["path"], "output": job["output"]}
        if resume and written_by(job["output"], fingerprint):
            rec["status"] = "skipped"
            out.append(rec)
            continue
        try:
            with open(job["path"], "rb") as f:
                text = f.read()
            dct = _dct_beside(job["path"]) or options.get("dct") or None
            opts = {k: v for k, v in options.items() if k != "dct"}
            doc = p.annotate(text, id=job["path"], dct=dct, **opts)
            _write_atomic(job["output"], doc.to_json())
            rec["status"] = "done"
        except Exception as e:  # reported in the summary, the other documents go on
            rec["status"] = "failed"
            rec["error"] = str(e)
        out.append(rec)
    return out


def annotate_files(inputs: Union[str, os.PathLike, Sequence[Union[str, os.PathLike]]],
                   out_dir: Union[str, os.PathLike],
                   pipeline: Union[None, str, os.PathLike, Pipeline] = None, client=None, *,
                   resume: bool = True, partition_size: int = 16,
                   **options: Any) -> Dict[str, Any]:
    """Annotates files and folders into JSON files under out_dir, as `quarry annotate INPUTS -o
    OUT_DIR` does (same names, same JSON, a "NAME.meta.json" beside a file may give its "dct"),
    and returns a summary: {"done", "skipped", "failed": counts, "failures": [{"path", "error"}],
    "records": one {"path", "output", "status"} per input, in input order}.

    resume=True skips inputs whose output was written by this same pipeline. partition_size is
    the number of files per task. Runs on `client`'s cluster when given, else on dask's default
    scheduler."""
    jobs = list_inputs(inputs, out_dir)
    fp = ship(pipeline, client)
    if not jobs:
        return {"done": 0, "skipped": 0, "failed": 0, "failures": [], "records": []}
    n = max(1, -(-len(jobs) // max(1, partition_size)))
    bag = db.from_sequence(jobs, npartitions=n)
    results = bag.map_partitions(_files_partition, fp, resume, options)
    records = client.compute(results).result() if client is not None else results.compute()
    summary: Dict[str, Any] = {"done": 0, "skipped": 0, "failed": 0, "failures": [],
                               "records": records}
    for r in records:
        summary[r["status"]] += 1
        if r["status"] == "failed":
            summary["failures"].append({"path": r["path"], "error": r["error"]})
    return summary


def _events_partition(df, fingerprint: str, text_column: str, id_column: Optional[str],
                      dct_column: Optional[str], layers: Sequence[str], columns: List[str]):
    import pandas as pd

    p = _get(fingerprint)
    texts = df[text_column].tolist()
    ids = df[id_column].astype(str).tolist() if id_column else [str(i) for i in df.index]
    dcts = df[dct_column].tolist() if dct_column else [None] * len(texts)
    items = []
    for text, id_, dct in zip(texts, ids, dcts):
        item = {"text": text if isinstance(text, (str, bytes)) else "", "id": id_}
        if isinstance(dct, str) and dct:
            item["dct"] = dct
        items.append(item)
    frames = []
    for r in p.annotate_many(items, threads=1):
        if isinstance(r, Failure):
            continue
        t = pd.read_csv(io.StringIO(r.export("events")), sep="\t", dtype=str,
                        keep_default_na=False, quoting=3)
        frames.append(t[t["layer"].isin(layers)])
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return pd.concat(frames, ignore_index=True)[columns]


def events_frame(df, pipeline: Union[None, str, os.PathLike, Pipeline] = None, client=None, *,
                 text_column: str = "text", id_column: Optional[str] = None,
                 dct_column: Optional[str] = None, relations: bool = False):
    """An event table from a pandas or Dask DataFrame with a text column: one row per event (and
    per relation with relations=True), with the columns of `quarry annotate --export events`
    (document, id, layer, type, cameo, cameo_root, label, plover, source, source_id,
    source_code, target, ..., date, date_source, trigger, sentence, rule; docs/exports.md), all
    strings. The document column is id_column's value (else the row's index); dct_column, when
    given, holds each row's document date. Returns a Dask DataFrame; documents that fail
    (invalid text) give no rows."""
    import dask.dataframe as dd
    import pandas as pd

    fp = ship(pipeline, client)
    header = _PIPELINES[fp].annotate("x", tokens_only=True).export("events").split("\n", 1)[0]
    columns = header.split("\t")
    meta = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    if not isinstance(df, dd.DataFrame):
        df = dd.from_pandas(df, npartitions=max(1, min(32, len(df) // 64 or 1)))
    layers = ["event", "relation"] if relations else ["event"]
    return df.map_partitions(_events_partition, fp, text_column, id_column, dct_column, layers,
                             columns, meta=meta)
