#!/usr/bin/env bash
# tests/eval/scorers.sh: the evaluation scripts' own tests (synthetic gold and system files, no
# ../shared data needed): IndiaPoliceEvents, MUC-4 CEAF-REE, UNER and the held-out scorer.
set -u
python3 tests/eval/test_scorers.py
