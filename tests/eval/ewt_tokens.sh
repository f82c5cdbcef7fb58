#!/usr/bin/env bash
# Tokenizer and sentence splitter against UD English EWT dev (CoNLL 2018 character alignment).
# Targets: token F1 >= 98.5, sentence F1 >= 80. Skips (77) when ../shared/data is absent.
set -euo pipefail
gold="${QUARRY_SHARED:-../shared/data}/ud-english-ewt/en_ewt-ud-dev.conllu"
if [ ! -f "$gold" ]; then
  echo "SKIP: $gold not found (UD EWT is read from ../shared/data, never committed)"
  exit 77
fi
"$QUARRY" eval-tokens "$gold" --min-token-f1 98.5 --min-word-f1 98.5 --min-sentence-f1 80
