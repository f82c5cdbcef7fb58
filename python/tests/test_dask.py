"""quarry.dask on a LocalCluster of 2 worker processes: same JSON as the CLI, a worker killed
mid-run, resume, bags and the events table."""
import os
import signal
import threading
import time
from pathlib import Path

import pytest

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")

import dask.bag as db  # noqa: E402

import quarry  # noqa: E402
import quarry.dask as qd  # noqa: E402
from conftest import ROOT, run_cli  # noqa: E402

N_DOCS = 200


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """200 documents of 10 to 30 KB made of the corpus's paragraphs, in two sub-folders."""
    paras = []
    for p in sorted((ROOT / "corpus").rglob("*.txt")):
        paras += [x.strip() for x in p.read_text("utf-8").split("\n\n") if x.strip()]
    d = tmp_path_factory.mktemp("docs")
    k = 0
    for i in range(N_DOCS):
        sub = d / ("a" if i % 2 else "b")
        sub.mkdir(exist_ok=True)
        parts, size = [], 0
        while size < 10000 + 100 * i:
            parts.append(paras[k % len(paras)])
            size += len(parts[-1])
            k += 7
        (sub / f"doc{i:03d}.txt").write_text("\n\n".join(parts) + "\n", "utf-8")
    return d


@pytest.fixture(scope="module")
def cli_out(cli, folder, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cli")
    run_cli(cli, "annotate", "-q", str(folder), "-o", str(out))
    return out


@pytest.fixture(scope="module")
def nlp():
    return quarry.Pipeline()


def same_as_cli(out: Path, cli_out: Path) -> None:
    want = sorted(p.relative_to(cli_out) for p in cli_out.rglob("*.json"))
    got = sorted(p.relative_to(out) for p in out.rglob("*.json"))
    assert len(want) == N_DOCS and got == want
    for rel in want:
        assert (out / rel).read_bytes() == (cli_out / rel).read_bytes(), rel


def test_files_on_the_cluster_equal_the_cli(client, folder, cli_out, nlp, tmp_path):
    s = qd.annotate_files([str(folder)], tmp_path / "o", nlp, client, partition_size=8)
    assert (s["done"], s["skipped"], s["failed"]) == (N_DOCS, 0, 0)
    same_as_cli(tmp_path / "o", cli_out)
    # Run again: every output is up to date.
    s = qd.annotate_files([str(folder)], tmp_path / "o", nlp, client)
    assert (s["done"], s["skipped"]) == (0, N_DOCS)
    # Another pipeline is not up to date.
    other = quarry.Pipeline(link=False)
    s = qd.annotate_files([str(folder / "a")], tmp_path / "o2", other, client)
    assert s["done"] == N_DOCS // 2
    s = qd.annotate_files([str(folder / "a")], tmp_path / "o2", nlp, client)
    assert s["done"] == N_DOCS // 2 and s["skipped"] == 0


def test_a_worker_killed_mid_run_loses_nothing(client, folder, cli_out, nlp, tmp_path):
    out = tmp_path / "o"
    result = {}

    def run():
        result["summary"] = qd.annotate_files([str(folder)], out, nlp, client, partition_size=2)

    t = threading.Thread(target=run)
    t.start()
    deadline = time.time() + 120
    while not list(out.rglob("*.json")) and time.time() < deadline:
        time.sleep(0.01)
    pids = client.run(os.getpid)
    done_at_kill = len(list(out.rglob("*.json")))
    victim = sorted(pids.values())[0]
    os.kill(victim, signal.SIGKILL)
    t.join(timeout=300)
    assert not t.is_alive(), "the run did not finish after a worker was killed"
    assert 0 < done_at_kill < N_DOCS, "the worker was not killed mid-run"
    s = result["summary"]
    paths = [r["path"] for r in s["records"]]
    assert len(paths) == N_DOCS and len(set(paths)) == N_DOCS
    # A task whose worker died after writing some outputs runs again elsewhere, and finds those
    # outputs up to date: "skipped", not written twice.
    assert (s["done"] + s["skipped"], s["failed"]) == (N_DOCS, 0)
    same_as_cli(out, cli_out)
    # The restarted worker has the pipeline again (the plugin loads it when a worker joins).
    deadline = time.time() + 60
    while len(client.scheduler_info()["workers"]) < 2 and time.time() < deadline:
        time.sleep(0.1)
    assert victim not in client.run(os.getpid).values()
    bag = db.from_sequence([{"id": f"x{i}", "text": "Kabul fell."} for i in range(8)],
                           npartitions=8)
    assert len(qd.annotate_bag(bag, nlp, client).compute()) == 8


def test_bags_of_texts_give_what_annotate_many_gives(client, nlp):
    texts = [{"id": f"d{i}", "text": f"Iran hosted the Taliban in {2000 + i}.",
              "dct": "2021-05-03"} for i in range(30)]
    texts.append({"id": "bad", "text": b"\xff"})
    bag = db.from_sequence(texts, npartitions=4)
    got = qd.annotate_bag(bag, nlp, client, json=True).compute()
    want = [d.to_json() if d else None for d in nlp.annotate_many(texts, threads=1)]
    assert got[:-1] == want[:-1]
    assert got[-1]["id"] == "bad" and got[-1]["error"]["byte_offset"] == 0
    dicts = qd.annotate_bag(db.from_sequence(texts[:3]), nlp, client).compute()
    assert [d["document"]["id"] for d in dicts] == ["d0", "d1", "d2"]


def test_events_frame(client, nlp):
    df = pd.DataFrame({"story": ["Iran hosted the Taliban in 2015.", "Kabul fell.",
                                 "The US attacked Iraq in 2003."], "key": ["a", "b", "c"]})
    ev = qd.events_frame(df, nlp, client, text_column="story", id_column="key").compute()
    want = sum(len(nlp.annotate(t, id=k).events) for t, k in zip(df.story, df.key))
    assert len(ev) == want > 0
    assert set(ev["document"]) <= {"a", "b", "c"} and (ev["layer"] == "event").all()
    row = ev[ev["cameo"] == "043"].iloc[0]
    assert (row["source_code"], row["target_code"], row["date"]) == ("IRN", "AFGREB", "2015")


def test_saved_pipeline_path_and_no_client(nlp, tmp_path):
    path = tmp_path / "p.qpl"
    nlp.save(path)
    bag = db.from_sequence(["Iran hosted the Taliban in 2015."])
    with dask.config.set(scheduler="sync"):
        got = qd.annotate_bag(bag, str(path), json=True).compute()
    assert got == [nlp.annotate("Iran hosted the Taliban in 2015.", id="doc-1").to_json()]


def test_the_dask_example_script(tmp_path):
    import subprocess
    r = subprocess.run(["/usr/bin/python3", str(ROOT / "examples/python/annotate_dask.py"),
                        str(ROOT / "corpus"), str(tmp_path / "out")],
                       capture_output=True, text=True, env=dict(os.environ), timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "'failed': 0" in r.stdout and "source_code" in r.stdout
    inputs = qd.list_inputs([str(ROOT / "corpus")], tmp_path / "out")
    assert sorted(str(p) for p in (tmp_path / "out").rglob("*.json")) == \
        sorted(j["output"] for j in inputs)
