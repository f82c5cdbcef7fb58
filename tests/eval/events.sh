#!/usr/bin/env bash
# tests/eval/events.sh: annotates the seed commentary with the whole pipeline (shipped
# gazetteers, temporal grammar and rules) and scores its events against the hand-made gold
# (corpus/gold/nabil-iran-alqaeda-taliban.events.json, guidelines in corpus/gold/src/); fails
# under the figures reached when the gold was written, and checks that the report gives
# precision per producing rule.
set -euo pipefail
: "${QUARRY:?set QUARRY to the quarry binary}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$QUARRY" annotate -q -g gazetteers -g "$QUARRY_BUILD_DIR/data/gazetteers" -o "$out" corpus/nabil-iran-alqaeda-taliban.txt
# 2026-11-27, 38 gold events (exact trigger span and type; CAMEO codes all agreeing): the rules
# as they were when the gold was written, P 0.963 R 0.684 F1 0.800; after the rules added from
# its diff (nominal killings, arrests, arming, negotiations, agreements; unrealised events left
# out), P 1.000 R 0.947 F1 0.973. The gold is a development set: the rules were written on this
# text, so these figures show the loop working, not how the rules generalise.
#
# Since the PETRARCH2 verb dictionary joined the default pipeline (rules/cameo/), the pipeline
# codes every CAMEO event it finds; the gold annotates 14 types of realised events, so the score
# is taken on those types and on realised, positive system events (--types, --where), the scope
# the gold's guidelines define. 2026-12-03: P 0.947 R 0.947 F1 0.947 (two dictionary events the
# guidelines leave out: "invite" 040 and "hosting" 043/042). The gold now carries arguments and
# dates (29 sources, 35 targets, 16 dates, written by reading before any system output); they are
# compared as features and reported, not yet held to a floor: source 0.41, target 0.52, date 0.50
# of the exact matches.
types=ASSASSINATE,KILL,ARREST,RELEASE,ABDUCT,VISIT,CONSULT,NEGOTIATE,SIGN_AGREEMENT,MILITARY_AID,ECONOMIC_AID,ACCUSE,INVADE,WITHDRAW
"$QUARRY" eval --gold corpus/gold/nabil-iran-alqaeda-taliban.events.json --features cameo \
  --types "$types" --where modality=realised --where polarity=positive \
  --system "$out/nabil-iran-alqaeda-taliban.json" --fail-under 0.94 > "$out/report" || { cat "$out/report"; exit 1; }
"$QUARRY" eval --gold corpus/gold/nabil-iran-alqaeda-taliban.events.json \
  --features cameo,arg.source,arg.target,date --types "$types" --where modality=realised \
  --system "$out/nabil-iran-alqaeda-taliban.json" --no-diff > "$out/args" || { cat "$out/args"; exit 1; }
grep -q "arg.source accuracy" "$out/args" || { cat "$out/args"; echo "arguments not compared"; exit 1; }
grep -q -- "-- by rule" "$out/report" || { cat "$out/report"; echo "no per-rule table"; exit 1; }
grep -qE "^ *1\.000 +[0-9]+ +0  assassination_of \(" "$out/report" || { cat "$out/report"; echo "per-rule row missing"; exit 1; }
echo ok
