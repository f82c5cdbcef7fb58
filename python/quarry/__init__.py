"""quarry: rule-based information extraction from analytical commentary.

    import quarry
    nlp = quarry.Pipeline()                      # the shipped gazetteers, rules and grammar
    doc = nlp.annotate("Iran hosted the Taliban in 2015.")
    for e in doc.events:
        print(e.type, e.cameo, e.date, [(a.role, a.text) for a in e.args])
    doc.to_json()                                # the CLI's stand-off JSON, byte for byte

    for doc in nlp.annotate_many(texts, threads=4):   # GIL released, order kept, streaming
        if isinstance(doc, quarry.Failure):
            print(doc.id, doc.error)
            continue
        ...

A Pipeline is compiled once and is safe to share between threads. Errors are quarry.Error
subclasses carrying the C++ message and its located diagnostics (file, line, column, byte offset).
The layers of a Doc (entities, timexes, events, relations, other, tokens, sentences) have the
fields of the JSON (docs/output.md); `quarry.dask` runs the same on a Dask cluster.
"""
from __future__ import annotations

import json
import os
from itertools import islice
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from . import _paths
from ._errors import (DataLossError, DeadlineExceededError, Diagnostic, Error, InternalError,
                      InvalidArgumentError, InvalidInputError, IoError, NotFoundError, ParseError,
                      ResourceExhaustedError, UnimplementedError)
from ._quarry import _Pipeline, _RunOptions, __version__

__all__ = [
    "Pipeline", "Doc", "Annotation", "Arg", "Token", "Sentence", "Failure", "data_dir",
    "Error", "Diagnostic", "InvalidArgumentError", "NotFoundError", "InvalidInputError",
    "ParseError", "IoError", "ResourceExhaustedError", "DeadlineExceededError", "DataLossError",
    "UnimplementedError", "InternalError", "__version__",
]

PathLike = Union[str, "os.PathLike[str]"]
Text = Union[str, bytes]


# --- The shipped data ---------------------------------------------------------------------------

def _data_candidates() -> List[Path]:
    out = []
    if _paths.SHARE_RELATIVE:  # an installed package: <prefix>/share/quarry
        out.append((Path(__file__).resolve().parent / _paths.SHARE_RELATIVE).resolve())
    env = os.environ.get("QUARRY_DATA")
    if env:
        out.append(Path(env))
    if _paths.SOURCE_DATA:  # the source tree this build came from
        out.append(Path(_paths.SOURCE_DATA))
    return out


def _has_data(d: Path) -> bool:
    return (d / "gazetteers").is_dir() or (d / "rules").is_dir()


def data_dir() -> Optional[str]:
    """The folder of the shipped data (gazetteers/, rules/), looked for as the CLI does: under the
    installation prefix (<prefix>/share/quarry), then $QUARRY_DATA, then the source tree the
    module was built from. None when there is none."""
    for d in _data_candidates():
        if _has_data(d):
            return str(d)
    return None


def _shipped(folder: str, ext: Tuple[str, ...]) -> List[str]:
    root = data_dir()
    if root is None:
        looked = ", ".join(str(d) for d in _data_candidates()) or "nowhere"
        raise NotFoundError(
            f"no data folder (gazetteers/, rules/) found; looked in {looked}. Set QUARRY_DATA "
            "to the folder, or give gazetteers=[...] and rules=[...] (or [] for none)")
    out = []
    dirs = [Path(root) / folder]
    # In the source tree, data generated at build time (the ISO 3166 gazetteer) is in the build
    # folder; an installation has it under the same share folder.
    if _paths.BUILD_DATA and _paths.SOURCE_DATA and Path(root) == Path(_paths.SOURCE_DATA):
        dirs.append(Path(_paths.BUILD_DATA) / folder)
    for d in dirs:
        if d.is_dir() and any(p.suffix in ext for p in d.rglob("*")):
            out.append(str(d))
    return out


def _paths_arg(value: Union[None, PathLike, Sequence[PathLike]], folder: str,
               ext: Tuple[str, ...]) -> List[str]:
    if value is None:
        return _shipped(folder, ext)
    if isinstance(value, (str, os.PathLike)):
        return [os.fspath(value)]
    return [os.fspath(v) for v in value]


# --- Results ------------------------------------------------------------------------------------

class Arg:
    """An argument of an annotation: its role, the id of the annotation it points at, its text."""

    __slots__ = ("role", "ref", "text", "_doc")

    def __init__(self, d: Dict[str, Any], doc: "Doc"):
        self.role: str = d.get("role", "")
        self.ref: Optional[str] = d.get("ref")
        self.text: str = d.get("text", "")
        self._doc = doc

    @property
    def annotation(self) -> Optional["Annotation"]:
        """The annotation `ref` points at (None when the argument has no ref)."""
        return self._doc.get(self.ref) if self.ref else None

    def __repr__(self) -> str:
        return f"Arg(role={self.role!r}, ref={self.ref!r}, text={self.text!r})"


class Annotation:
    """An entity, timex, event, relation or other annotation. Every field of its JSON object is an
    attribute (`a.type`, `a.span`, `a.cameo`, `a.value`, `a.prov`, ...; a field it does not have
    is None) and an item (`a["cameo"]`); `to_dict()` gives the object itself."""

    __slots__ = ("_d", "_doc", "layer")

    def __init__(self, d: Dict[str, Any], layer: str, doc: "Doc"):
        self._d = d
        self._doc = doc
        self.layer = layer

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        v = self._d.get(name)
        if name in ("span", "utf8") and v is not None:
            return tuple(v)
        return v

    def __getitem__(self, key: str) -> Any:
        return self._d[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._d.get(key, default)

    def __contains__(self, key: str) -> bool:
        return key in self._d

    @property
    def args(self) -> List[Arg]:
        return [Arg(a, self._doc) for a in self._d.get("args", [])]

    def arg(self, role: str) -> Optional[Arg]:
        """The first argument with this role, or None."""
        for a in self._d.get("args", []):
            if a.get("role") == role:
                return Arg(a, self._doc)
        return None

    def to_dict(self) -> Dict[str, Any]:
        return self._d

    def __repr__(self) -> str:
        return (f"Annotation({self._d.get('id')!r}, {self._d.get('type')!r}, "
                f"{self._d.get('text')!r}, span={tuple(self._d.get('span', ()))})")


class Token:
    __slots__ = ("i", "span", "utf8", "kind", "text")

    def __init__(self, i: int, span, utf8, kind: str, text: str):
        self.i, self.span, self.utf8, self.kind, self.text = i, span, utf8, kind, text

    def __repr__(self) -> str:
        return f"Token({self.i}, {self.text!r}, {self.kind})"


class Sentence:
    __slots__ = ("i", "span", "utf8", "tokens", "text")

    def __init__(self, i: int, span, utf8, tokens, text: str):
        # tokens: the token index range [first, end)
        self.i, self.span, self.utf8, self.tokens, self.text = i, span, utf8, tokens, text

    def __repr__(self) -> str:
        return f"Sentence({self.i}, {self.text[:40]!r})"


_LAYERS = ("entities", "timexes", "events", "relations", "other")


class Doc:
    """An annotated document. `to_json()` is the CLI's JSON for it, byte for byte (same options);
    `to_dict()` that JSON parsed; the layers are lists of Annotation, Token and Sentence built
    from it on first use. `export(fmt)` gives the CLI's exports (brat, conll, events, html,
    timeml). `meta` holds the extra fields of a dict input (title, url, ...)."""

    def __init__(self, native, offsets: str = "codepoint", meta: Optional[Dict[str, Any]] = None):
        self._native = native
        self._json: Optional[str] = None
        self._dict: Optional[Dict[str, Any]] = None
        self._by_id: Optional[Dict[str, Annotation]] = None
        self._layers: Dict[str, List[Annotation]] = {}
        self._text: Optional[str] = None
        self.offsets = offsets
        self.meta: Dict[str, Any] = dict(meta or {})

    # The JSON and its parts.
    def to_json(self) -> str:
        if self._json is None:
            self._json = self._native.json
        return self._json

    def to_dict(self) -> Dict[str, Any]:
        if self._dict is None:
            self._dict = json.loads(self.to_json())
        return self._dict

    @property
    def id(self) -> str:
        return self.to_dict()["document"]["id"]

    @property
    def dct(self) -> Optional[str]:
        return self.to_dict()["document"]["dct"]

    @property
    def sha256(self) -> str:
        return self.to_dict()["document"]["sha256"]

    @property
    def pipeline(self) -> Optional[str]:
        """The fingerprint of the pipeline that made it (version, options and data files)."""
        return self.to_dict()["generator"].get("pipeline")

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self._native.text
        return self._text

    def _layer(self, name: str) -> List[Annotation]:
        if name not in self._layers:
            self._layers[name] = [Annotation(d, name, self) for d in self.to_dict().get(name, [])]
        return self._layers[name]

    entities = property(lambda self: self._layer("entities"),
                        doc="The entities (List[Annotation]): names linked to actors, ACTORs.")
    timexes = property(lambda self: self._layer("timexes"),
                       doc="The temporal expressions (List[Annotation]) with their values.")
    events = property(lambda self: self._layer("events"),
                      doc="The events (List[Annotation]): CAMEO codes, dates, arguments.")
    relations = property(lambda self: self._layer("relations"),
                         doc="The actor-relation triples (List[Annotation]).")
    other = property(lambda self: self._layer("other"),
                     doc="Annotations of other layers (List[Annotation]).")

    def get(self, id: str) -> Optional[Annotation]:
        """The annotation with this id ("e3", "t1", "v2", ...), or None."""
        if self._by_id is None:
            self._by_id = {a.id: a for layer in _LAYERS for a in self._layer(layer)}
        return self._by_id.get(id)

    def _slice(self, span) -> str:
        if self.offsets == "codepoint":
            return self.text[span[0]:span[1]]
        if self.offsets == "utf8":
            return self.text.encode("utf-8")[span[0]:span[1]].decode("utf-8")
        return self.text.encode("utf-16-le")[2 * span[0]:2 * span[1]].decode("utf-16-le")

    @property
    def tokens(self) -> List[Token]:
        t = self.to_dict().get("tokens")
        if not t:
            return []
        return [Token(i, tuple(s), tuple(u), k, self._slice(s))
                for i, (s, u, k) in enumerate(zip(t["span"], t["utf8"], t["kind"]))]

    @property
    def sentences(self) -> List[Sentence]:
        s = self.to_dict().get("sentences")
        if not s:
            return []
        return [Sentence(i, tuple(sp), tuple(u), tuple(tk), self._slice(sp))
                for i, (sp, u, tk) in enumerate(zip(s["span"], s["utf8"], s["tokens"]))]

    def export(self, format: str) -> str:
        """The document in another format, as `quarry annotate --export` writes it: "brat" (the
        .ann file), "conll", "events" (the TSV event table), "events-csv", "events-jsonl",
        "html", "timeml" or "w3c" (W3C Web Annotation JSON-LD)."""
        return self._native.export(format)

    def __len__(self) -> int:
        return len(self.text)

    def __repr__(self) -> str:
        d = self.to_dict()
        return (f"Doc({d['document']['id']!r}: {len(d['entities'])} entities, "
                f"{len(d['timexes'])} timexes, {len(d['events'])} events, "
                f"{len(d['relations'])} relations)")


class Failure:
    """A document of annotate_many that could not be annotated: its position in the input, its id,
    and the quarry.Error (with the byte offset, line and column where they apply). The other
    documents are not affected."""

    __slots__ = ("index", "id", "error", "meta")

    def __init__(self, index: int, id: str, error: Error, meta: Optional[Dict[str, Any]] = None):
        self.index, self.id, self.error, self.meta = index, id, error, dict(meta or {})

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"Failure({self.index}, {self.id!r}, {self.error})"


# --- The pipeline -------------------------------------------------------------------------------

Item = Union[Text, Dict[str, Any], Tuple[str, Text]]


def _encode(text: Text) -> bytes:
    if isinstance(text, bytes):
        return text
    if isinstance(text, str):
        # Lone surrogates pass through as the bytes they would be, so that the C++ check reports
        # them with their byte offset instead of a Python encoding error.
        return text.encode("utf-8", "surrogatepass")
    raise TypeError(f"a document's text must be str or bytes, not {type(text).__name__}")


def _check_mode(mode: Optional[str]) -> str:
    if mode in (None, ""):
        return ""
    if mode not in ("auto", "news", "narrative"):
        raise InvalidArgumentError(f"mode must be 'auto', 'news' or 'narrative', not {mode!r}")
    return mode


class Pipeline:
    """A compiled pipeline: tokenizer, gazetteers and linking, temporal tagger, rules, event coder.

    Pipeline()                                  the shipped data (as `quarry annotate` uses it)
    Pipeline(gazetteers=["my.gaz"], rules=[])   own data; [] leaves a stage out
    Pipeline.load("world.qpl")                  a pipeline saved by save() or `quarry compile`

    gazetteers, rules: files or folders (every *.gaz, *.qr/*.qv/*.qa below a folder); None means
      the shipped ones (see data_dir()).
    temporal: run the temporal tagger; temporal_grammars: *.qt files or folders (None: built in).
    newline: how a single line break affects sentences: "auto", "always", "heading", "never".
    split_clitics: "Iran's" -> "Iran" "'s".
    match: gazetteer match semantics: "leftmost-longest", "leftmost-shortest" or "all".
    lookups: keep overlapped gazetteer matches as "Lookup" annotations; link: link names within
      a document (aliases, short forms, titles).

    Compiling the shipped data takes about a second; load() of a saved pipeline is faster. A
    Pipeline is immutable and thread-safe: annotate from as many threads as you like.
    """

    def __init__(self, gazetteers: Union[None, PathLike, Sequence[PathLike]] = None,
                 rules: Union[None, PathLike, Sequence[PathLike]] = None, temporal: bool = True,
                 temporal_grammars: Union[None, PathLike, Sequence[PathLike]] = None, *,
                 newline: str = "auto", split_clitics: bool = True,
                 match: str = "leftmost-longest", lookups: bool = True, link: bool = True,
                 _native=None):
        if _native is not None:
            self._p = _native
            return
        g = _paths_arg(gazetteers, "gazetteers", (".gaz",))
        r = _paths_arg(rules, "rules", (".qr",))
        t = [] if temporal_grammars is None else _paths_arg(temporal_grammars, "", (".qt",))
        try:
            self._p = _Pipeline.compile(g, r, bool(temporal), t, newline, bool(split_clitics),
                                        match, bool(lookups), bool(link))
        except ValueError as e:
            if isinstance(e, Error):
                raise
            raise InvalidArgumentError(str(e)) from None

    @classmethod
    def load(cls, path: PathLike) -> "Pipeline":
        """Loads a pipeline written by save() or `quarry compile` (DataLossError if corrupt)."""
        return cls(_native=_Pipeline.load(os.fspath(path)))

    def save(self, path: PathLike) -> None:
        """Saves the compiled pipeline (options, data files and the compiled gazetteer)."""
        self._p.save(os.fspath(path))

    @property
    def info(self) -> Dict[str, Any]:
        """gazetteer_entries, rules, stages (in order) and fingerprint."""
        return self._p.info()

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the version, options and data files; in every output's "generator"."""
        return self._p.info()["fingerprint"]

    def __repr__(self) -> str:
        i = self.info
        return (f"quarry.Pipeline({i['gazetteer_entries']} gazetteer entries, {i['rules']} rules, "
                f"stages: {', '.join(i['stages'])})")

    @staticmethod
    def _options(offsets: str, tokens: bool, pretty: bool, time_budget: float, max_bytes: int,
                 max_matches_per_rule: int, tokens_only: bool) -> _RunOptions:
        try:
            return _RunOptions(offsets, bool(tokens), bool(pretty), float(time_budget),
                               int(max_bytes), int(max_matches_per_rule), bool(tokens_only))
        except ValueError as e:
            raise InvalidArgumentError(str(e)) from None

    def annotate(self, text: Text, id: Optional[str] = None, dct: Optional[str] = None,
                 mode: Optional[str] = None, *, offsets: str = "codepoint", tokens: bool = True,
                 pretty: bool = False, time_budget: float = 0, max_bytes: int = 64 << 20,
                 max_matches_per_rule: int = 100000, tokens_only: bool = False) -> Doc:
        """Annotates one text (str, or UTF-8 bytes) and returns its Doc.

        id names the document in output and errors ("doc" when None); dct is the document date
        (ISO 8601) relative dates resolve against; mode is "news", "narrative" or "auto". offsets,
        tokens and pretty shape the JSON as the CLI's --offsets, --no-tokens and --pretty do.
        Raises InvalidInputError for invalid UTF-8 or a NUL byte (with its byte offset), and
        ResourceExhaustedError / DeadlineExceededError past max_bytes or time_budget seconds.
        The GIL is released while the text is annotated."""
        opts = self._options(offsets, tokens, pretty, time_budget, max_bytes,
                             max_matches_per_rule, tokens_only)
        item = (_encode(text), "doc" if id is None else str(id), dct or "", _check_mode(mode), "")
        return Doc(self._p.annotate(item, opts), offsets)

    def annotate_many(self, items: Iterable[Item], threads: Optional[int] = None, *,
                      errors: str = "yield", batch_size: Optional[int] = None,
                      offsets: str = "codepoint", tokens: bool = True, pretty: bool = False,
                      time_budget: float = 0, max_bytes: int = 64 << 20,
                      max_matches_per_rule: int = 100000,
                      tokens_only: bool = False) -> Iterator[Union[Doc, Failure]]:
        """Annotates an iterable of documents on `threads` worker threads (default: all cores),
        yielding one result per input, in input order, as they are done.

        An item is a text (str or bytes), an (id, text) pair, or a dict with "text" and optional
        "id", "dct", "mode" (as a line of the CLI's JSONL input); other keys of a dict go to the
        result's `meta` and, as the CLI does, to the JSON's document.meta. Items without an id are named "doc-N" (N counts from 1).

        The input is read batch_size items at a time (default 16 per thread), so memory stays
        bounded on a stream of any length. A document that fails (invalid UTF-8, a bad item, a
        limit) yields a Failure (falsy, with .index, .id and .error) and the others go on;
        errors="raise" raises its error instead, ending the iteration. Bad arguments raise at
        the call. The GIL is released while a batch is annotated."""
        if errors not in ("yield", "raise"):
            raise InvalidArgumentError(f"errors must be 'yield' or 'raise', not {errors!r}")
        n = int(threads) if threads else (os.cpu_count() or 1)
        if n < 1:
            raise InvalidArgumentError("threads must be at least 1")
        size = int(batch_size) if batch_size else 16 * n
        if size < 1:
            raise InvalidArgumentError("batch_size must be at least 1")
        opts = self._options(offsets, tokens, pretty, time_budget, max_bytes,
                             max_matches_per_rule, tokens_only)
        return self._many(iter(items), n, size, opts, offsets, errors == "raise")

    def _many(self, it: Iterator[Item], n: int, size: int, opts: _RunOptions, offsets: str,
              raise_errors: bool) -> Iterator[Union[Doc, Failure]]:
        index = 0
        while True:
            chunk = list(islice(it, size))
            if not chunk:
                return
            out: List[Union[Doc, Failure, None]] = [None] * len(chunk)
            prepared, where, metas = [], [], []
            for k, item in enumerate(chunk):
                try:
                    text, id_, dct, mode, meta = _unpack(item, index + k + 1)
                    prepared.append((_encode(text), id_, dct, _check_mode(mode),
                                     _meta_json(meta)))
                    where.append(k)
                    metas.append(meta)
                except (Error, TypeError) as e:
                    err = e if isinstance(e, Error) else InvalidArgumentError(str(e))
                    out[k] = Failure(index + k, _item_id(item, index + k + 1), err)
            results = self._p.annotate_batch(prepared, n, opts) if prepared else []
            for k, r, meta, p in zip(where, results, metas, prepared):
                if isinstance(r, BaseException):
                    out[k] = Failure(index + k, p[1], r, meta)
                else:
                    out[k] = Doc(r, offsets, meta)
            index += len(chunk)
            for r in out:
                if raise_errors and isinstance(r, Failure):
                    raise r.error
                yield r


def _meta_json(meta: Optional[Dict[str, Any]]) -> str:
    """The extra fields of a dict item as the CLI writes a JSONL line's: document.meta."""
    if not meta:
        return ""
    try:
        return json.dumps(meta, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError) as e:
        raise InvalidArgumentError(f"the extra fields of an item are not JSON: {e}") from None


def _item_id(item: Any, number: int) -> str:
    if isinstance(item, dict) and item.get("id") is not None:
        return str(item["id"])
    if isinstance(item, tuple) and len(item) == 2:
        return str(item[0])
    return f"doc-{number}"


def _unpack(item: Item, index: int):
    """(text, id, dct, mode, meta) of one annotate_many item."""
    if isinstance(item, (str, bytes)):
        return item, f"doc-{index}", "", "", None
    if isinstance(item, dict):
        if "text" not in item:
            raise InvalidArgumentError(f"item {index}: a dict item needs a \"text\"")
        meta = {k: v for k, v in item.items() if k not in ("text", "id", "dct", "mode")}
        id_ = item.get("id")
        return (item["text"], f"doc-{index}" if id_ is None else str(id_), item.get("dct") or "",
                item.get("mode") or "", meta)
    if isinstance(item, tuple) and len(item) == 2:
        return item[1], str(item[0]), "", "", None
    raise TypeError(f"item {index}: expected a text, an (id, text) pair or a dict, "
                    f"not {type(item).__name__}")
