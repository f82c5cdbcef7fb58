#!/usr/bin/env bash
# tests/eval/wikiwars.sh: scores the temporal tagger on WikiWars (16 war narratives, inline gold
# TIMEX2) and fails below the figures the tagger reached when this test was written. WikiWars is
# annotated with TIMEX2, which also marks temporal adjectives ("former"), so the TIMEX2 additions
# in rules/timex2 are loaded on top of the built-in grammar.
# Skips (exit 77) when ../shared/data/wikiwars-dev is absent: the corpus may not be committed.
set -u
QUARRY=${QUARRY:-build/tools/quarry}
DATA=${QUARRY_SHARED:-../shared/data}/wikiwars-dev
if [ ! -d "$DATA/in" ] || [ ! -d "$DATA/keyinline" ]; then
  echo "skip: $DATA not found (WikiWars is read from ../shared/data and never committed)"
  exit 77
fi
# Achieved on 2026-11-27 (2159 gold mentions): with the TIMEX2 additions strict F1 0.911, relaxed
# F1 0.953, value accuracy 0.923; built-in grammar alone 0.8996 / 0.942 / 0.921. The issue's
# targets were 0.85 / 0.92 / 0.90 (HeidelTime published 0.831 / 0.903 / 0.898).
# 2026-12-03, after the news-dates work (issue 11: deictic expressions resolve against the DCT
# whenever there is one, weekdays, tense): with the TIMEX2 additions 0.913 / 0.954 / 0.921;
# built-in grammar alone 0.901 / 0.942 / 0.920 ("today" in a 2009 article is now the DCT's day).
# 2026-12-03, later: duration extents follow TimeBank's convention (TempEval-3's), which leaves
# approximations and fillers out ("about [two weeks]", "only [five hours]"); TIMEX2 keeps them in,
# so WikiWars loses four strict matches: 0.910 / 0.956 / 0.920 with the additions, 0.899 / 0.944 /
# 0.920 alone, against TBAQ strict F1 half A 0.856 -> 0.862, half B 0.838 -> 0.840. The strict
# floors move by that much; issue 11's WikiWars floors (0.90 / 0.95 / 0.92) still hold.
"$QUARRY" timex eval --wikiwars "$DATA" -g rules/temporal -g rules/timex2 --errors 10 \
  --min-strict 0.905 --min-relaxed 0.95 --min-value 0.92 || exit 1
"$QUARRY" timex eval --wikiwars "$DATA" --errors 0 \
  --min-strict 0.895 --min-relaxed 0.94 --min-value 0.915 || exit 1
