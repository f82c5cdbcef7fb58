"""The binding against the CLI: same JSON, same errors, same results on threads."""
import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

import quarry
from conftest import ROOT, cli_dct, run_cli

CORPUS_FILES = sorted(p.relative_to(ROOT) for p in (ROOT / "corpus").rglob("*")
                      if p.suffix in (".txt", ".md") and p.is_file())


def annotate_like_cli(nlp, rel: Path, **kw) -> quarry.Doc:
    path = ROOT / rel
    return nlp.annotate(path.read_bytes(), id=str(rel), dct=cli_dct(path) or None, **kw)


def test_corpus_json_equals_cli(cli, nlp, tmp_path):
    assert CORPUS_FILES, "the corpus folder is empty"
    run_cli(cli, "annotate", "-q", "corpus", "-o", str(tmp_path))
    for rel in CORPUS_FILES:
        want = (tmp_path / rel.relative_to("corpus")).with_suffix(".json").read_text("utf-8")
        got = annotate_like_cli(nlp, rel).to_json()
        assert got == want, f"{rel}: the binding's JSON differs from the CLI's"


def test_options_shape_the_json_as_the_cli_flags(cli, nlp, tmp_path):
    rel = Path("corpus/nabil-iran-alqaeda-taliban.txt")
    run_cli(cli, "annotate", "-q", str(rel), "-o", str(tmp_path), "--offsets", "utf16",
            "--no-tokens", "--pretty", "--mode", "narrative")
    want = (tmp_path / rel.name).with_suffix(".json").read_text("utf-8")
    got = annotate_like_cli(nlp, rel, offsets="utf16", tokens=False, pretty=True,
                            mode="narrative").to_json()
    assert got == want


def test_exports_equal_the_cli(cli, nlp, tmp_path):
    rel = Path("corpus/nabil-iran-alqaeda-taliban.txt")
    run_cli(cli, "annotate", "-q", str(rel), "-o", str(tmp_path), "--export",
            "brat,conll,events,events-csv,events-jsonl,html,timeml,w3c")
    doc = annotate_like_cli(nlp, rel)
    stem = tmp_path / rel.stem
    for fmt, ext in [("brat", ".ann"), ("conll", ".conll"), ("events", ".events.tsv"),
                     ("events-csv", ".events.csv"), ("events-jsonl", ".events.jsonl"),
                     ("html", ".html"), ("timeml", ".tml"), ("w3c", ".w3c.jsonld")]:
        want = Path(str(stem) + ext).read_bytes().decode("utf-8")
        assert doc.export(fmt) == want, fmt
    with pytest.raises(ValueError):
        doc.export("pdf")


def test_layers_are_the_json_as_objects(nlp):
    doc = nlp.annotate("Iran hosted the Taliban in Tehran in 2015.", id="x")
    d = doc.to_dict()
    assert doc.id == "x" and doc.pipeline == nlp.fingerprint
    for layer in ("entities", "timexes", "events", "relations", "other"):
        objs = getattr(doc, layer)
        assert [a.to_dict() for a in objs] == d.get(layer, [])
        for a in objs:
            assert a.layer == layer
            assert doc.text[a.span[0]:a.span[1]] == a.text
    assert [e.text for e in doc.entities if e.type != "ACTOR"] == ["Iran", "Taliban", "Tehran"]
    ev = next(e for e in doc.events if e.type == "HOST_VISIT")
    assert (ev.cameo, ev.date, ev.quad_class) == ("043", "2015", 1)
    assert ev.arg("source").annotation.text == "Iran"
    assert ev.arg("target").annotation.entity == "taliban"
    assert ev["cameo"] == "043" and ev.get("nothing") is None and ev.nothing is None
    assert [t.text for t in doc.tokens][:3] == ["Iran", "hosted", "the"]
    assert len(doc.tokens) == len(d["tokens"]["span"])
    assert [s.text for s in doc.sentences] == ["Iran hosted the Taliban in Tehran in 2015."]
    assert doc.timexes[0].value == "2015"


def test_offsets_in_other_units_slice_the_same_text(nlp):
    text = "Ça va: \U0001F600 Iran’s envoy met the Taliban in Doha."
    for unit in ("codepoint", "utf8", "utf16"):
        doc = nlp.annotate(text, offsets=unit)
        assert doc.to_dict()["offsets"]["unit"] == unit
        assert [t.text for t in doc.tokens] == [t.text for t in nlp.annotate(text).tokens]


@pytest.mark.parametrize("data,offset", [
    (b"\xffIran met the envoy.\n", 0),
    (b"Iran met\nthe \x80 envoy.\n", 13),
    (b"Truncated at the end \xe2\x80", 21),
    (b"slash \xc0\xaf overlong\n", 6),
    (b"a \xed\xa0\x80 surrogate\n", 2),
    (b"text then NUL\x00", 13),
    (b"\xef\xbb\xbf\xfe after a BOM\n", 3),
], ids=lambda v: "" if isinstance(v, bytes) else str(v))
def test_invalid_input_raises_with_the_byte_offset_the_cli_reports(cli, nlp, tmp_path, data,
                                                                      offset):
    f = tmp_path / "bad.txt"
    f.write_bytes(data)
    r = run_cli(cli, "annotate", "-q", str(f), check=False)
    assert r.returncode == 1 and f"at byte {offset} " in r.stderr
    with pytest.raises(quarry.InvalidInputError) as e:
        nlp.annotate(data, id="bad.txt")
    assert e.value.byte_offset == offset
    assert isinstance(e.value, quarry.Error) and isinstance(e.value, ValueError)
    assert f"at byte {offset} " in str(e.value) and e.value.code == "invalid input"
    d = e.value.diagnostics[0]
    assert d.byte_offset == offset and d.line >= 1 and d.column >= 1


def test_a_lone_surrogate_in_a_str_is_invalid_input_not_a_python_error(nlp):
    with pytest.raises(quarry.InvalidInputError) as e:
        nlp.annotate("ok \ud800 then")
    assert e.value.byte_offset == 3


@pytest.mark.parametrize("name,data", [
    ("bom_text", b"\xef\xbb\xbfIran\xe2\x80\x99s envoy left.\n"),
    ("crlf", b"One line.\r\nTwo line.\r\n\r\nNew paragraph.\r\n"),
    ("cr", b"One.\rTwo.\rThree\r"),
    ("zero_width", "Iran\u200bmet\ufeffthe Taliban\u200d in \u202eKabul.".encode()),
    ("long_word", b"x" * 70000 + b" Iran."),
    ("punct", b"!?" * 5000),
    ("lines", b"Kabul.\n" * 3000),
    ("mixed", "Москва и Tehran, 北京 and كابل on 3 May 2021.".encode()),
    ("url_feff", b"See https://example.org/rw.x\xef\xbb\xbfnd 24/7"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_hostile_but_valid_text_gives_the_cli_json(cli, nlp, tmp_path, name, data):
    f = tmp_path / f"{name}.txt"
    f.write_bytes(data)
    r = run_cli(cli, "annotate", "-q", str(f), check=False)
    assert r.returncode == 0, r.stderr
    assert nlp.annotate(data, id=str(f)).to_json() == r.stdout


def test_errors_of_options_and_data(nlp, tmp_path):
    with pytest.raises(quarry.InvalidInputError, match="not an ISO 8601 date"):
        nlp.annotate("Iran.", dct="yesterday")
    with pytest.raises(quarry.InvalidArgumentError):
        nlp.annotate("Iran.", mode="poetry")
    with pytest.raises(quarry.InvalidArgumentError):
        nlp.annotate("Iran.", offsets="bytes")
    with pytest.raises(quarry.ResourceExhaustedError):
        nlp.annotate("Iran. " * 100, max_bytes=100)
    with pytest.raises(quarry.NotFoundError):
        quarry.Pipeline(gazetteers=[tmp_path / "missing.gaz"], rules=[])
    bad = tmp_path / "bad.qr"
    bad.write_text("rule broken {\n  pattern: [[[\n}\n")
    with pytest.raises(quarry.ParseError) as e:
        quarry.Pipeline(gazetteers=[], rules=[bad])
    assert e.value.diagnostics and e.value.diagnostics[0].file.endswith("bad.qr")
    assert e.value.diagnostics[0].line >= 1
    corrupt = tmp_path / "corrupt.qpl"
    corrupt.write_bytes(b"PIPE" + b"\x00" * 40)
    with pytest.raises(quarry.Error) as e:
        quarry.Pipeline.load(corrupt)
    assert e.value.code in ("corrupt data", "invalid input")
    with pytest.raises(quarry.NotFoundError):
        quarry.Pipeline.load(tmp_path / "none.qpl")


def test_a_time_budget_fails_the_document_not_the_process(nlp):
    text = ("On 3 May 2021 Iran hosted the Taliban in Tehran and Kabul said so. " * 4000)
    with pytest.raises(quarry.DeadlineExceededError):
        nlp.annotate(text, time_budget=1e-6)


def test_save_and_load_give_the_same_pipeline(nlp, tmp_path):
    path = tmp_path / "p.qpl"
    nlp.save(path)
    loaded = quarry.Pipeline.load(path)
    assert loaded.fingerprint == nlp.fingerprint
    assert loaded.info["stages"] == nlp.info["stages"]
    text = (ROOT / "corpus/nabil-iran-alqaeda-taliban.txt").read_text("utf-8")
    assert loaded.annotate(text, id="n").to_json() == nlp.annotate(text, id="n").to_json()


def _docs():
    texts = [(ROOT / rel).read_text("utf-8") for rel in CORPUS_FILES]
    # Paragraphs as documents too, so that the batch has many documents of mixed sizes.
    paras = [p for t in texts for p in t.split("\n\n") if p.strip()]
    return texts + paras[:150]


def test_threads_give_the_same_results_as_one_thread(nlp):
    docs = _docs()
    one = [d.to_json() for d in nlp.annotate_many(docs, threads=1)]
    two = [d.to_json() for d in nlp.annotate_many(docs, threads=2, batch_size=7)]
    four = [d.to_json() for d in nlp.annotate_many(docs, threads=4)]
    assert len(one) == len(docs) and one == two == four
    assert one[0] == nlp.annotate(docs[0], id="doc-1").to_json()


def test_python_threads_share_one_pipeline(nlp):
    docs = _docs()[:40]
    want = [nlp.annotate(t, id=str(i)).to_json() for i, t in enumerate(docs)]
    got = {}

    def work(k):
        got[k] = [nlp.annotate(t, id=str(i)).to_json() for i, t in enumerate(docs)]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(got[k] == want for k in range(3))


def test_annotate_many_keeps_order_ids_meta_and_reports_failures(nlp):
    items = ["Kabul fell.", b"\xc3 bad", {"id": "y", "text": "Iran.", "url": "u", "dct": "2021-05-03"},
             {"no": "text"}, ("pair", "Tehran."), 42, "Doha."]
    out = list(nlp.annotate_many(items, threads=2, batch_size=3))
    assert len(out) == len(items)
    assert [type(r).__name__ for r in out] == ["Doc", "Failure", "Doc", "Failure", "Doc",
                                               "Failure", "Doc"]
    assert [r.id for r in out] == ["doc-1", "doc-2", "y", "doc-4", "pair", "doc-6", "doc-7"]
    assert out[1].index == 1 and out[1].error.byte_offset == 0 and not out[1]
    assert isinstance(out[3].error, quarry.InvalidArgumentError)
    assert out[2].meta == {"url": "u"} and out[2].dct == "2021-05-03"
    with pytest.raises(quarry.InvalidInputError):
        list(nlp.annotate_many(items, errors="raise"))
    with pytest.raises(quarry.InvalidArgumentError):
        nlp.annotate_many(items, errors="ignore")


def test_annotate_many_streams(nlp):
    pulled = [0]

    def gen():
        for i in range(100000):
            pulled[0] += 1
            yield f"Iran met the Taliban on day {i}."

    it = nlp.annotate_many(gen(), threads=2, batch_size=10)
    first = [next(it) for _ in range(3)]
    assert [d.id for d in first] == ["doc-1", "doc-2", "doc-3"]
    assert pulled[0] <= 10, "annotate_many read ahead more than one batch"
    it.close()


def test_help_and_version(cli):
    r = run_cli(cli, "--version")
    assert quarry.__version__ in r.stdout
    assert "annotate" in quarry.Pipeline.__doc__ and quarry.Pipeline.annotate_many.__doc__
    assert quarry.data_dir() is not None


def test_the_readme_one_liner(root):
    code = ("import quarry; "
            "print(quarry.Pipeline().annotate('Iran hosted the Taliban in 2015.').to_json())")
    r = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True,
                       env=dict(os.environ), cwd="/")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert [e["text"] for e in d["events"]][:1] == ["hosted"]


def test_the_corpus_example_script(root):
    r = subprocess.run(["/usr/bin/python3", str(root / "examples/python/annotate_corpus.py")],
                       capture_output=True, text=True, env=dict(os.environ))
    assert r.returncode == 0, r.stderr
    assert "documents," in r.stdout and " events" in r.stdout
    n_events = int(r.stdout.split("documents, ")[1].split(" events")[0])
    assert n_events > 50


def test_jsonl_lines_and_dict_items_give_the_same_json(cli, nlp):
    items = [{"id": "a", "text": "Iran hosted the Taliban in 2015.", "url": "http://x/é",
              "title": "T", "n": 3, "tags": ["x", "y"]},
             {"id": "b", "text": "Kabul fell on Monday.", "dct": "2021-08-20", "mode": "news"},
             {"text": "No id here."}]
    stdin = "\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n"
    r = subprocess.run([cli, "annotate", "-q", "-"], input=stdin, capture_output=True,
                       text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    want = r.stdout.splitlines()
    got = [d.to_json().rstrip("\n") for d in nlp.annotate_many(items)]
    # The CLI names a line without an id by its line number; give the binding the same id.
    assert got[:2] == want[:2]
    assert json.loads(want[0])["document"]["meta"]["tags"] == ["x", "y"]
    third = next(nlp.annotate_many([{"id": "line-3", "text": "No id here."}]))
    assert third.to_json().rstrip("\n") == want[2]
