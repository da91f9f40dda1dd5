# Root for the host-side entry scripts (sourced by tests/run-all.sh, tests/scenarios/*.sh and tests/lab/prepare.sh):
# they install Debian packages and boot the lab, so they run as root. The same command works in a root shell and for
# a sudo user: as anyone else, the script runs itself again through sudo; without sudo it says what to do.
#
#   become_root NAME WHY SCRIPT [ARGS...]   returns at once as root; otherwise execs sudo, or exits 1 with a message
#
# Through sudo the script keeps the caller's PATH (dotnet may live in ~/.dotnet, which sudo's secure_path leaves
# out) and the variables these scripts read (DOTNET_*, NUGET_*, LAB_*, FUZZ_*, SF_*, SCENARIO_OUT, RECONCILER_*,
# CONFIGURATION, TMPDIR); sudo's own environment rules apply to the rest.
# shellcheck shell=bash

become_root() {
  local name=$1 why=$2 script=$3
  shift 3
  [[ $(id -u) -eq 0 ]] && return 0
  if [[ -z $(type -P sudo) ]]; then
    printf '%s: needs root (%s), and sudo is not installed: run the same command in a root shell\n' "$name" "$why" >&2
    exit 1
  fi
  local -a env=("PATH=$PATH")
  local var
  for var in $(compgen -e); do
    case $var in
      DOTNET_* | NUGET_* | LAB_* | FUZZ_* | SF_* | SCENARIO_OUT | RECONCILER_* | CONFIGURATION | TMPDIR) env+=("$var=${!var}") ;;
    esac
  done
  printf '%s: needs root (%s): running it again through sudo\n' "$name" "$why" >&2
  exec sudo -- env "${env[@]}" bash "$script" "$@"
}
