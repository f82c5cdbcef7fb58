#!/usr/bin/env node
// Baseline: the rule-based NLP library "compromise" (npm) on Universal NER English-EWT.
//
// Reads a UNER .iob2 file, runs compromise on each sentence's "# text" (nlp(text).people(),
// .organizations(), .places() -> PER, ORG, LOC) and writes one JSONL line per sentence:
//   {"sent_id", "doc_id", "half": "A"|"B", "entities": [{"start", "end", "type", "text"}]}
// with half-open offsets in Unicode code points into the sentence text. Score it with
// tests/eval/uner_score.py (same definitions of documents, halves and spans).
//
// Usage:
//   NODE_PATH=/tmp/uner-js/node_modules node tests/eval/uner_compromise.mjs [FILE.iob2]
//       [-o OUT.jsonl] [--half A|B|all] [--modules DIR]
// FILE defaults to ${QUARRY_SHARED:-../shared/data}/uner-english-ewt/en_ewt-ud-dev.iob2,
// relative to the project root. compromise is looked up in --modules DIR, then in each NODE_PATH
// entry, then by ordinary resolution; when it cannot be loaded the script prints one line
// "skip: ..." and exits 77 (so does a missing default data file; a missing FILE given on the
// command line is an error, exit 2).
//
// Spans: a match's span runs from the start of its first term to the end of its last term, from
// compromise's per-term offsets (view.json({offset: true}), terms[i].offset, UTF-16 code units,
// converted here to code points). The match-level offset is not used: in compromise 14 its
// length is that of the match's text(), which counts surrounding punctuation ("Texas!",
// "(John Smith)") while its start does not. Terms compromise adds for contractions (empty text)
// are skipped. Duplicate (type, start, end) triples are written once.

import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '..', '..');

function usage(code) {
  const msg = 'usage: uner_compromise.mjs [FILE.iob2] [-o OUT.jsonl] [--half A|B|all] [--modules DIR]\n';
  (code ? process.stderr : process.stdout).write(msg);
  process.exit(code);
}

function parseArgs(argv) {
  const opts = { file: null, out: null, half: 'all', modules: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(2);
      return argv[++i];
    };
    if (a === '-o' || a === '--output') opts.out = value();
    else if (a.startsWith('--output=')) opts.out = a.slice(9);
    else if (a === '--half') opts.half = value();
    else if (a.startsWith('--half=')) opts.half = a.slice(7);
    else if (a === '--modules') opts.modules = value();
    else if (a.startsWith('--modules=')) opts.modules = a.slice(10);
    else if (a === '-h' || a === '--help') usage(0);
    else if (a.startsWith('-') && a !== '-') usage(2);
    else if (opts.file === null) opts.file = a;
    else usage(2);
  }
  if (!['A', 'B', 'all'].includes(opts.half)) usage(2);
  return opts;
}

async function loadCompromise(modulesDir) {
  const dirs = [];
  if (modulesDir) dirs.push(path.resolve(modulesDir));
  for (const d of (process.env.NODE_PATH || '').split(path.delimiter)) {
    if (d) dirs.push(path.resolve(d));
  }
  const errors = [];
  for (const dir of dirs) {
    // createRequire resolves 'compromise' from dir itself and from a node_modules beside it.
    for (const base of [dir, path.join(dir, 'node_modules')]) {
      try {
        const req = createRequire(path.join(base, 'noop.js'));
        const resolved = req.resolve('compromise');
        const mod = req('compromise');
        return { nlp: mod.default || mod, where: resolved };
      } catch (e) {
        errors.push(`${base}: ${e.code || e.message}`);
      }
    }
  }
  try {
    const mod = await import('compromise');
    return { nlp: mod.default || mod, where: 'compromise' };
  } catch (e) {
    errors.push(`import('compromise'): ${e.code || e.message}`);
  }
  return { nlp: null, errors };
}

function halfOf(docId) {
  // Python: int(sha256(doc_id).hexdigest(), 16) % 2 == 0 -> "A"
  const hex = createHash('sha256').update(docId, 'utf8').digest('hex');
  return BigInt('0x' + hex) % 2n === 0n ? 'A' : 'B';
}

function readIob2(file) {
  const sentences = [];
  let docId = null;
  let sentId = null;
  let text = null;
  let current = null;
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  lines.forEach((line, n) => {
    if (line.startsWith('#')) {
      const body = line.slice(1).replace(/^ +/, '');
      const eq = body.indexOf('=');
      if (eq < 0) return;
      const key = body.slice(0, eq).trim();
      let value = body.slice(eq + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (key === 'newdoc id') docId = value.trim();
      else if (key === 'sent_id') sentId = value.trim();
      else if (key === 'text') text = value;
      return;
    }
    if (line.trim() === '') {
      current = null;
      return;
    }
    if (current === null) {
      if (sentId === null || text === null || docId === null) {
        throw new Error(`${file}:${n + 1}: token line before '# newdoc id', '# sent_id' or '# text'`);
      }
      current = { docId, sentId, text };
      sentences.push(current);
      sentId = null;
      text = null;
    }
  });
  return sentences;
}

// Code-point index of each UTF-16 index of s (length s.length + 1).
function utf16ToCodePoints(s) {
  const map = new Int32Array(s.length + 1);
  let cp = 0;
  for (let i = 0; i < s.length; i++) {
    map[i] = cp;
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        map[i + 1] = cp; // inside a surrogate pair
        i++;
      }
    }
    cp++;
  }
  map[s.length] = cp;
  return map;
}

const stats = { sentences: 0, matches: 0, offsetMismatches: 0, dropped: 0 };

function extract(nlp, text) {
  const doc = nlp(text);
  const cp = utf16ToCodePoints(text);
  const seen = new Set();
  const entities = [];
  for (const [type, view] of [['PER', doc.people()], ['ORG', doc.organizations()], ['LOC', doc.places()]]) {
    for (const m of view.json({ offset: true, text: true, terms: true })) {
      stats.matches++;
      const terms = (m.terms || []).filter(t => t.text && t.offset);
      if (terms.length === 0) {
        stats.dropped++;
        continue;
      }
      let ok = true;
      for (const t of terms) {
        if (text.slice(t.offset.start, t.offset.start + t.offset.length) !== t.text) ok = false;
      }
      if (!ok) {
        // compromise's offsets do not point at its term text in the input: should not happen
        // (its terms' pre + text + post rebuild the input); report and drop the match.
        stats.offsetMismatches++;
        process.stderr.write(`warning: offsets of ${JSON.stringify(m.text)} do not match the text ${JSON.stringify(text)}\n`);
        continue;
      }
      const first = terms[0].offset;
      const last = terms[terms.length - 1].offset;
      const s16 = first.start;
      const e16 = last.start + last.length;
      const start = cp[s16];
      const end = cp[e16];
      const key = `${type}\t${start}\t${end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      entities.push({ start, end, type, text: text.slice(s16, e16) });
    }
  }
  entities.sort((a, b) => a.start - b.start || a.end - b.end || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  return entities;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const loaded = await loadCompromise(opts.modules);
  if (!loaded.nlp) {
    process.stdout.write(`skip: the 'compromise' module cannot be loaded (set NODE_PATH or --modules DIR; npm install --prefix DIR compromise)\n`);
    process.exit(77);
  }
  const nlp = loaded.nlp;
  const file = opts.file || path.resolve(projectRoot, process.env.QUARRY_SHARED || '../shared/data',
    'uner-english-ewt', 'en_ewt-ud-dev.iob2');
  if (!opts.file && !existsSync(file)) {
    process.stdout.write(`skip: no UNER English-EWT data at ${file}\n`);
    process.exit(77);
  }
  if (!existsSync(file)) {
    process.stderr.write(`uner_compromise: no such file: ${file}\n`);
    process.exit(2);
  }
  const sentences = readIob2(file);
  const out = [];
  for (const s of sentences) {
    const half = halfOf(s.docId);
    if (opts.half !== 'all' && half !== opts.half) continue;
    stats.sentences++;
    out.push(JSON.stringify({ sent_id: s.sentId, doc_id: s.docId, half, entities: extract(nlp, s.text) }));
  }
  const body = out.length ? out.join('\n') + '\n' : '';
  if (opts.out && opts.out !== '-') writeFileSync(opts.out, body);
  else process.stdout.write(body);
  process.stderr.write(`uner_compromise: compromise ${nlp.version || '?'} (${loaded.where}), ` +
    `half ${opts.half}: ${stats.sentences} sentences, ${stats.matches} matches` +
    (stats.offsetMismatches ? `, ${stats.offsetMismatches} with mismatched offsets (dropped)` : '') +
    (stats.dropped ? `, ${stats.dropped} with no text (dropped)` : '') + '\n');
}

main().catch(e => {
  process.stderr.write(`uner_compromise: ${e.stack || e}\n`);
  process.exit(1);
});
