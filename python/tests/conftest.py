"""Fixtures of the binding's tests: the CLI they compare with, the repository, scratch folders.

Run by ctest (python.binding, python.dask) with PYTHONPATH=<build>/python and QUARRY=<the CLI>;
by hand: PYTHONPATH=build/python QUARRY=build/tools/quarry python3 -m pytest python/tests
"""
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def cli() -> str:
    q = os.environ.get("QUARRY") or str(ROOT / "build" / "tools" / "quarry")
    if not os.path.exists(q):
        pytest.skip(f"no quarry CLI at {q} (set QUARRY)")
    return q


@pytest.fixture(scope="session")
def nlp():
    import quarry
    return quarry.Pipeline()


def run_cli(cli: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Runs the CLI from the repository root (so that ids of relative paths match)."""
    return subprocess.run([cli, *args], cwd=ROOT, capture_output=True, text=True, check=check)


def cli_dct(path: Path) -> str:
    """The document date the CLI takes from "x.meta.json" beside "x.txt"."""
    import json
    meta = path.with_suffix(".meta.json")
    if meta.exists():
        return json.loads(meta.read_text()).get("dct") or ""
    return ""
