# tests/cli/lib.sh: helpers for the CLI tests (sourced). $QUARRY is the binary under test.
set -euo pipefail
: "${QUARRY:?set QUARRY to the quarry binary}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0
passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
# expect_exit CODE CMD...: runs CMD, captures stdout/stderr in $TMP/out, $TMP/err.
expect_exit() {
  local want=$1; shift
  set +e
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  set -e
  if [ "$got" -ne "$want" ]; then
    bad "exit $got, expected $want: $*"; sed 's/^/  stderr: /' "$TMP/err" | head -5
  else
    ok
  fi
}
expect_err() {  # expect_err PATTERN: stderr of the last command matches
  if grep -qE -- "$1" "$TMP/err"; then ok; else bad "stderr lacks /$1/:"; sed 's/^/  /' "$TMP/err" | head -5; fi
}
expect_file() { if [ -f "$1" ]; then ok; else bad "missing file $1"; fi; }
expect_no_file() { if [ ! -e "$1" ]; then ok; else bad "unexpected file $1"; fi; }
finish() {
  echo "$passes passed, $fails failed"
  [ "$fails" -eq 0 ]
}
