#!/usr/bin/env python3
"""Checks stand-off JSON files: schema validity, and that every span names the right text.

usage: check_standoff.py SCHEMA TEXT JSON [JSON...]
For each JSON file: validates it against SCHEMA (jsonschema), checks the document header
(sha256, lengths) against TEXT, and checks that each token, sentence and annotation span, in
the unit the file declares and in UTF-8 bytes, slices TEXT to the annotation's `text`.
Exits 1 with a message on the first problem.
"""
import hashlib
import json
import sys

import jsonschema


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def main():
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    raw = open(sys.argv[2], "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    text = raw.decode("utf-8")
    u16 = text.encode("utf-16-le")
    checked = 0
    for path in sys.argv[3:]:
        doc = json.load(open(path, encoding="utf-8"))
        jsonschema.validate(doc, schema)
        d = doc["document"]
        if d["sha256"] != hashlib.sha256(raw).hexdigest():
            fail(f"{path}: sha256 differs from the text's")
        if d["length"] != {"codepoint": len(text), "utf8": len(raw), "utf16": len(u16) // 2}:
            fail(f"{path}: lengths {d['length']} are wrong")
        unit = doc["offsets"]["unit"]

        def slice_unit(s, e):
            if unit == "codepoint":
                return text[s:e]
            if unit == "utf8":
                return raw[s:e].decode("utf-8")
            return u16[2 * s:2 * e].decode("utf-16-le")

        for layer in ("tokens", "sentences"):
            if layer not in doc:
                continue
            spans, bytes_ = doc[layer]["span"], doc[layer]["utf8"]
            if len(spans) != len(bytes_):
                fail(f"{path}: {layer} span and utf8 lists differ in length")
            for (s, e), (bs, be) in zip(spans, bytes_):
                if slice_unit(s, e) != raw[bs:be].decode("utf-8"):
                    fail(f"{path}: {layer} span {s}-{e} and utf8 {bs}-{be} disagree")
                checked += 1
        ids = set()
        for layer in ("entities", "timexes", "events", "relations", "other"):
            for a in doc.get(layer, []):
                ids.add(a["id"])
        for layer in ("entities", "timexes", "events", "relations", "other"):
            for a in doc.get(layer, []):
                s, e = a["span"]
                bs, be = a["utf8"]
                if slice_unit(s, e) != a["text"]:
                    fail(f"{path}: {a['id']} span {s}-{e} gives {slice_unit(s, e)!r}, text is {a['text']!r}")
                if raw[bs:be].decode("utf-8") != a["text"]:
                    fail(f"{path}: {a['id']} utf8 {bs}-{be} does not give its text")
                for arg in a.get("args", []):
                    if arg["ref"] not in ids:
                        fail(f"{path}: {a['id']} argument {arg['role']} refers to missing {arg['ref']}")
                checked += 1
    print(f"ok: {len(sys.argv) - 3} file(s), {checked} spans checked")


if __name__ == "__main__":
    main()
