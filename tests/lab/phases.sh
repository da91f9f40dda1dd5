# Phases of a long host-side job, each announced with what it does and timed (sourced by tests/lab/prepare.sh,
# tests/scenarios/*.sh and tests/run-all.sh). Lines go to stderr, each starting with $phase_prefix.
#
#   phase_total=3
#   phase_start 1 publish "publishing the reconciler executable"   -> "== [1/3] publishing the reconciler executable"
#   phase_end "12 MB"                                              -> "   done in 41 s (12 MB)"
#   phase_summary "seed-ha"                                        -> "== seed-ha: 9 min 40 s in all: publish 41 s, ..."
#
# A phase still open when the next starts or the summary is printed is ended first.
# shellcheck shell=bash

phase_prefix=${phase_prefix:-}
phase_total=${phase_total:-0}
phase_times=()
phase_open=
phase_t0=0
phase_first_t0=

phase_now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }

# 0.4 s, 41 s, 7 min 12 s
phase_format_ms() {
  local ms=$1
  if ((ms < 10000)); then
    printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100))
  elif ((ms < 60000)); then
    printf '%d s' $((ms / 1000))
  else
    printf '%d min %d s' $((ms / 60000)) $((ms % 60000 / 1000))
  fi
}

# phase_start NUMBER LABEL TEXT: LABEL names the phase in the summary; TEXT says what it does.
phase_start() {
  [[ -z $phase_open ]] || phase_end
  phase_open=$2
  phase_t0=$(phase_now_ms)
  [[ -n $phase_first_t0 ]] || phase_first_t0=$phase_t0
  printf '%s== [%s/%s] %s\n' "$phase_prefix" "$1" "$phase_total" "$3" >&2
}

# phase_end [NOTE]: ends the open phase and says how long it took.
phase_end() {
  [[ -n $phase_open ]] || return 0
  local ms=$(($(phase_now_ms) - phase_t0)) took
  took=$(phase_format_ms "$ms")
  phase_times+=("$phase_open $took")
  printf '%s   done in %s%s\n' "$phase_prefix" "$took" "${1:+ ($1)}" >&2
  phase_open=
}

# phase_summary WHAT: one line with the whole time and each phase's (nothing when no phase ran).
phase_summary() {
  [[ -z $phase_open ]] || phase_end
  [[ -n $phase_first_t0 ]] || return 0
  local total joined
  total=$(phase_format_ms $(($(phase_now_ms) - phase_first_t0)))
  joined=$(printf '%s, ' "${phase_times[@]}")
  printf '%s== %s: %s in all: %s\n' "$phase_prefix" "$1" "$total" "${joined%, }" >&2
}
