#!/usr/bin/env bash
# `quarry gazetteer check` reports every error with file:line:column; `quarry gazetteer import`
# converts PETRARCH dictionaries (skipped when ../shared/data is absent) without the known
# wrong links, and the seed commentary still scores F1 >= 0.95 with them loaded.
set -uo pipefail
: "${QUARRY:?set QUARRY to the quarry binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

printf 'a ORG Alpha\n  colour: red\nb WRONG Beta\n' > "$tmp/bad.gaz"
"$QUARRY" gazetteer check "$tmp/bad.gaz" > "$tmp/out" 2>&1 && fail "check accepted a bad file"
grep -q "bad.gaz:2:3.*unknown key 'colour'" "$tmp/out" || fail "no located error for line 2: $(cat "$tmp/out")"
grep -q "bad.gaz:3:3.*unknown entity type 'WRONG'" "$tmp/out" || fail "no located error for line 3"
"$QUARRY" gazetteer check gazetteers -o "$tmp/shipped.gzc" > "$tmp/out" || fail "shipped gazetteers do not compile"
grep -q "entries" "$tmp/out" || fail "no statistics"
"$QUARRY" annotate -q -g "$tmp/bad.gaz" corpus/nabil-iran-alqaeda-taliban.txt > /dev/null 2> "$tmp/err"
[ $? -eq 2 ] || fail "annotate with a bad gazetteer should exit 2"
grep -q "bad.gaz:2:3" "$tmp/err" || fail "annotate does not show the located error"

# A saved pipeline carries the compiled gazetteer and annotates exactly as a fresh one.
"$QUARRY" compile -o "$tmp/p.qp" 2> /dev/null || fail "compile"
"$QUARRY" annotate -q --pipeline "$tmp/p.qp" --no-tokens corpus/nabil-iran-alqaeda-taliban.txt > "$tmp/a1.json" || fail "annotate --pipeline"
"$QUARRY" annotate -q --no-tokens corpus/nabil-iran-alqaeda-taliban.txt > "$tmp/a2.json" || fail "annotate"
cmp -s "$tmp/a1.json" "$tmp/a2.json" || fail "saved pipeline annotates differently"

dicts="${QUARRY_SHARED:-../shared/data}/petrarch2-dicts"
if [ ! -d "$dicts" ]; then
  echo "skipped: $dicts is absent (PETRARCH dictionaries may not be committed)"
  exit 77
fi
mkdir -p "$tmp/imp"
"$QUARRY" gazetteer import --from petrarch -o "$tmp/imp/petrarch.gaz" \
  "$dicts/Phoenix.Countries.actors.txt" "$dicts/Phoenix.International.actors.txt" \
  "$dicts/Phoenix.MilNonState.actors.txt" 2> "$tmp/warn" || fail "import failed"
grep -q "Phoenix.Countries.actors.txt:[0-9]*:1: warning: control byte dropped" "$tmp/warn" || fail "0x1A not reported"
grep -q "U+FFFD" "$tmp/warn" || fail "U+FFFD not reported"
if LC_ALL=C grep -q $'\xef\xbf\xbd\|\x1a' "$tmp/imp/petrarch.gaz"; then fail "damaged bytes reached the gazetteer"; fi
printf 'ISIS-K struck. The Khorasan Group is in Syria. The Haqqani Network and Husain Haqqani. The Quds Force.\n' > "$tmp/traps.txt"
"$QUARRY" annotate -q --no-rules --no-temporal --no-tokens -g gazetteers -g "$QUARRY_BUILD_DIR/data/gazetteers" -g "$tmp/imp" "$tmp/traps.txt" > "$tmp/traps.json" || fail "annotate"
for pair in 'ISIS-K:isis_k' 'Khorasan Group:khorasan_group' 'Haqqani Network:haqqani_network' \
            'Husain Haqqani:husain_haqqani' 'Quds Force:quds_force'; do
  text=${pair%%:*}; id=${pair#*:}
  grep -q "\"text\":\"$text\",\"entity\":\"$id\"" "$tmp/traps.json" || fail "$text is not linked to $id"
done
"$QUARRY" annotate -q --no-rules --no-temporal -g gazetteers -g "$QUARRY_BUILD_DIR/data/gazetteers" -g "$tmp/imp" -o "$tmp/sys" corpus/nabil-iran-alqaeda-taliban.txt || fail "annotate seed"
"$QUARRY" eval --no-diff --fail-under 0.95 --gold corpus/gold/nabil-iran-alqaeda-taliban.entities.json \
  --system "$tmp/sys/nabil-iran-alqaeda-taliban.json" > /dev/null || fail "seed F1 under 0.95 with PETRARCH loaded"
# Inline examples: the shipped ones pass; a failing one names its file:line and what was found;
# bad markup is a located parse error.
"$QUARRY" gazetteer test -g gazetteers -g "$QUARRY_BUILD_DIR/data/gazetteers" gazetteers/curated > "$tmp/gt" 2>&1 || { cat "$tmp/gt"; fail "shipped gazetteer examples fail"; }
grep -qE "^[0-9]+ examples in [0-9]+ entries: [0-9]+ passed, 0 failed" "$tmp/gt" || { cat "$tmp/gt"; fail "gazetteer test summary"; }
cat > "$tmp/ex.gaz" <<'EOF'
acme ORG Acme Corporation
  alias: Acme
  example: Shares of [[Acme]] rose; [[Acme Corp]] did not comment.
  counter: Acme denied it.
  example: Talks with [[Acme Corporation]] ended.
EOF
"$QUARRY" gazetteer test --no-context "$tmp/ex.gaz" > "$tmp/gt" 2>&1 && fail "failing gazetteer examples passed"
grep -qF "ex.gaz:3: entry 'acme': example" "$tmp/gt" || { cat "$tmp/gt"; fail "example failure not located"; }
grep -qF 'expected "Acme Corp" as acme (ORG), found "Acme" ORG acme' "$tmp/gt" || { cat "$tmp/gt"; fail "example failure not explained"; }
grep -qF "ex.gaz:4: entry 'acme': counter" "$tmp/gt" || { cat "$tmp/gt"; fail "counter failure not located"; }
grep -qF "3 examples in 1 entries: 1 passed, 2 failed" "$tmp/gt" || { cat "$tmp/gt"; fail "gazetteer test summary with failures"; }
printf 'acme ORG Acme\n  example: an [[unclosed mark\n' > "$tmp/bad.gaz"
"$QUARRY" gazetteer test --no-context "$tmp/bad.gaz" > "$tmp/gt" 2>&1 && fail "bad example markup accepted"
grep -qF "bad.gaz:2:12" "$tmp/gt" || { cat "$tmp/gt"; fail "bad markup not located"; }
echo ok
