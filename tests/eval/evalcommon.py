"""Helpers shared by the evaluation scripts in tests/eval/ (standard library only).

shared_data_dir(): ${QUARRY_SHARED:-../shared/data}, relative paths taken from the project root.
resolve_data_dir(arg, subdir, marker): --data may name the shared folder or the set's own.
half_of(doc_id): "A" or "B", bit 1 of the last byte of sha256(doc_id); deterministic, so that
every script splits a set the same way (tune on A, report on B).
DataError: a problem with the data or the arguments, reported as one line (exit 2).
"""

import hashlib
import os

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class DataError(Exception):
    pass


def shared_data_dir():
    d = os.environ.get("QUARRY_SHARED") or os.path.join("..", "shared", "data")
    return os.path.normpath(os.path.join(PROJECT_ROOT, d))


def resolve_data_dir(arg, subdir, marker):
    """The set's folder: `arg` when it holds `marker`, else `arg`/`subdir` (arg defaults to the
    shared data folder)."""
    base = arg if arg else shared_data_dir()
    if os.path.isfile(os.path.join(base, marker)):
        return base
    return os.path.join(base, subdir)


def half_of(doc_id):
    h = int(hashlib.sha256(str(doc_id).encode("utf-8")).hexdigest(), 16)
    return "A" if h % 4 in (0, 1) else "B"
