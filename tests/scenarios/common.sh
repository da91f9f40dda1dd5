# Helpers the lab scenarios share (sourced by tests/scenarios/*.sh, which define `results` and `failures`):
# time stamps, progress lines, figures and checks for results.json.

now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }
log() { printf '\n== %s\n' "$*"; }
note() { printf '   %s\n' "$*"; }

# result KEY VALUE: one figure for results.json and the table.
result() { results+=("$1=$2"); note "$1: $2"; }
# expect NAME CONDITION-STATUS DETAIL: a checked expectation; a failed one fails the run (at the end).
expect() {
  local name=$1 ok=$2 detail=${3:-}
  if [[ $ok == 0 ]]; then
    results+=("check.$name=pass")
    note "PASS $name ${detail:+($detail)}"
  else
    results+=("check.$name=FAIL")
    note "FAIL $name ${detail:+($detail)}"
    failures=$((failures + 1))
  fi
}
check() { local name=$1; shift; if "$@"; then expect "$name" 0; else expect "$name" 1 "$*"; fi; }
