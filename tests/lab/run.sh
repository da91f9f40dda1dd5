#!/usr/bin/env bash
# Runs one command inside a fresh qemu guest that boots Debian's kernel (with
# IPVS) and sees the host's / read-only under a throwaway overlay.
#
#   tests/lab/run.sh [--mem MB] [--cpus N] [--timeout SECONDS] [--share DIR]...
#                    [--env NAME[=VALUE]]... -- COMMAND [ARGS...]
#
# The command runs as root in the caller's working directory (same absolute
# path), its stdout and stderr come out on ours, and its exit status is ours.
# Exit 124: timed out. Exit 125: the lab itself failed (message on stderr).
# See tests/lab/README.md.
set -euo pipefail

LAB_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd -- "$LAB_DIR/../.." && pwd -P)
CACHE=${LAB_CACHE:-$REPO_ROOT/.lab-cache}

MEM=${LAB_MEM:-3072}
CPUS=${LAB_CPUS:-1}
TIMEOUT=${LAB_TIMEOUT:-900}
SHARES=()
ENVS=()

log() { printf 'lab: %s\n' "$*" >&2; }
die() { printf 'lab: error: %s\n' "$*" >&2; exit 125; }

usage() {
  cat >&2 <<'EOF'
usage: tests/lab/run.sh [--mem MB] [--cpus N] [--timeout SECONDS] [--share DIR]...
                        [--env NAME[=VALUE]]... -- COMMAND [ARGS...]
  --mem MB          guest memory (default 3072, env LAB_MEM)
  --cpus N          guest CPUs (default 1, env LAB_CPUS)
  --timeout SECONDS kill the guest and exit 124 after this long (default 900, env LAB_TIMEOUT)
  --share DIR       map host DIR read-write at the same path in the guest (repeatable)
  --env NAME[=VAL]  set NAME in the command's environment (the caller's value if no =)
Exit status: the command's; 124 on timeout; 125 when the lab itself fails.
EOF
  exit 125
}

need_value() { [[ $# -ge 2 && -n $2 ]] || { log "option $1 needs a value"; usage; }; }
is_uint() { [[ $1 =~ ^[0-9]+$ && $1 -gt 0 ]]; }

while [[ $# -gt 0 ]]; do
  case $1 in
    --mem) need_value "$@"; MEM=$2; shift 2 ;;
    --mem=*) MEM=${1#*=}; shift ;;
    --cpus) need_value "$@"; CPUS=$2; shift 2 ;;
    --cpus=*) CPUS=${1#*=}; shift ;;
    --timeout) need_value "$@"; TIMEOUT=$2; shift 2 ;;
    --timeout=*) TIMEOUT=${1#*=}; shift ;;
    --share) need_value "$@"; SHARES+=("$2"); shift 2 ;;
    --share=*) SHARES+=("${1#*=}"); shift ;;
    --env) need_value "$@"; ENVS+=("$2"); shift 2 ;;
    --env=*) ENVS+=("${1#*=}"); shift ;;
    -h | --help) usage ;;
    --) shift; break ;;
    -*) log "unknown option $1"; usage ;;
    *) break ;;
  esac
done
[[ $# -gt 0 ]] || { log "no command given"; usage; }
is_uint "$MEM" || die "--mem must be a positive number of MiB, not '$MEM'"
is_uint "$CPUS" || die "--cpus must be a positive number, not '$CPUS'"
is_uint "$TIMEOUT" || die "--timeout must be a positive number of seconds, not '$TIMEOUT'"

CWD=$(pwd -P)

# --- prepare ------------------------------------------------------------------

"$LAB_DIR/prepare.sh" || die "tests/lab/prepare.sh failed"
command -v qemu-system-x86_64 >/dev/null ||
  die "qemu-system-x86_64 not found: run tests/lab/prepare.sh as root to install it"
[[ -f $CACHE/lab.env ]] || die "no $CACHE/lab.env: run tests/lab/prepare.sh"
# shellcheck source=/dev/null
source "$CACHE/lab.env"
[[ -f $LAB_KERNEL && -f $LAB_INITRD ]] || die "lab cache incomplete: run tests/lab/prepare.sh"

# --- job directory ------------------------------------------------------------

# Directories left by a run.sh that was killed outright (SIGKILL: no trap ran;
# its qemu died with it): their owner is gone.
for stale in "${TMPDIR:-/tmp}"/reconciler-lab.*; do
  [[ -f $stale/owner ]] || continue
  owner=$(<"$stale/owner") || continue
  if [[ $owner =~ ^[0-9]+$ ]] && ! kill -0 "$owner" 2>/dev/null; then
    rm -rf -- "$stale"
  fi
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/reconciler-lab.XXXXXX")
printf '%s\n' "$$" >"$TMP/owner"
JOB=$TMP/job # shared read-write with the guest (tag labjob, at /run/lab)
IO=$TMP/io   # host side only: fifos, console log, qemu's stderr
mkdir -p -- "$JOB" "$IO"

QEMU_PID=
SLEEP_PID=
CAT_PIDS=()

kill_pid() { if [[ -n ${1:-} ]]; then kill "$1" 2>/dev/null || true; fi; }

# Stops qemu by PID: SIGTERM, then SIGKILL if it lingers.
stop_qemu() {
  [[ -n $QEMU_PID ]] || return 0
  kill "$QEMU_PID" 2>/dev/null || true
  local _
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    kill -0 "$QEMU_PID" 2>/dev/null || break
    sleep 0.2
  done
  kill -KILL "$QEMU_PID" 2>/dev/null || true
}

# Wakes a reader still blocked opening its fifo (qemu never opened the other
# end): an O_RDWR open never blocks; once closed, the reader sees end of file.
release_readers() {
  local port fd
  for port in stdout stderr; do
    [[ -p $IO/$port.out ]] || continue
    exec {fd}<>"$IO/$port.out"
    exec {fd}>&-
  done
}

# shellcheck disable=SC2317 # called from traps
cleanup() {
  stop_qemu
  kill_pid "$SLEEP_PID"
  release_readers
  local pid
  for pid in "${CAT_PIDS[@]}"; do kill_pid "$pid"; done
  rm -rf -- "$TMP"
}
# shellcheck disable=SC2317 # called from traps
on_signal() {
  log "interrupted ($1): stopping the guest"
  trap - EXIT
  cleanup
  [[ $1 == INT ]] && exit 130
  exit 143
}
trap cleanup EXIT
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM
trap 'on_signal HUP' HUP

# Commas are separators in qemu's option syntax; a literal one is doubled.
qemu_path() { printf '%s' "${1//,/,,}"; }

# --share: the same absolute path in the guest, read-write.
share_args=()
: >"$JOB/shares"
idx=0
for dir in "${SHARES[@]}"; do
  [[ $dir == /* ]] || dir=$CWD/$dir
  mkdir -p -- "$dir" || die "cannot create share directory $dir"
  dir=$(cd -- "$dir" && pwd -P)
  [[ $dir != *$'\n'* ]] || die "share path with a newline: $dir"
  share_args+=(-virtfs "local,path=$(qemu_path "$dir"),mount_tag=share$idx,security_model=none,multidevs=remap")
  printf 'share%d %s\n' "$idx" "$dir" >>"$JOB/shares"
  idx=$((idx + 1))
done

# The guest mounts fresh filesystems over /tmp, /run, /dev, /proc and /sys.
# Folders under /tmp or /run that the command needs (its working directory,
# this checkout with its build output, the lab cache) are bound back over the
# fresh ones, so a checkout anywhere works; /dev, /proc and /sys cannot hold one.
case $CWD/ in
  /dev/* | /proc/* | /sys/*) die "working directory $CWD is under /dev, /proc or /sys, which the guest replaces: run from elsewhere" ;;
  /tmp/ | /run/) die "working directory $CWD is the guest's fresh $CWD: run from a folder inside it, or elsewhere" ;;
esac
keep=()
for dir in "$CWD" "$REPO_ROOT" "$CACHE"; do
  [[ -d $dir ]] || continue
  dir=$(cd -- "$dir" && pwd -P)
  case $dir/ in
    /tmp/?* | /run/?*) keep+=("$dir") ;;
  esac
done
# Each folder once, and none inside another (the outer one covers it).
: >"$JOB/keep"
for dir in "${keep[@]}"; do
  [[ $dir != *$'\n'* ]] || die "path with a newline: $dir"
  inner=0
  for other in "${keep[@]}"; do
    [[ $dir != "$other" && $dir/ == "$other"/* ]] && inner=1
  done
  [[ $inner -eq 1 ]] || grep -qxF -- "$dir" "$JOB/keep" || printf '%s\n' "$dir" >>"$JOB/keep"
done

# The command script: cd to the caller's directory, set --env values, exec.
{
  printf '#!/bin/bash\n'
  printf 'cd -- %q || { echo "lab: cannot enter %q in the guest" >&2; exit 125; }\n' "$CWD" "$CWD"
  for spec in "${ENVS[@]}"; do
    name=${spec%%=*}
    [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "--env: bad variable name '$name'"
    if [[ $spec == *=* ]]; then
      value=${spec#*=}
    elif [[ -n ${!name+set} ]]; then
      value=${!name}
    else
      continue
    fi
    printf 'export %s=%q\n' "$name" "$value"
  done
  printf 'exec'
  printf ' %q' "$@"
  printf '\n'
} >"$JOB/cmd.sh"

# --- boot ---------------------------------------------------------------------

# stdout and stderr travel on two virtio-serial ports into fifos that we copy
# to our own stdout and stderr as the command writes.
for port in stdout stderr; do
  mkfifo -- "$IO/$port.in" "$IO/$port.out"
done
# A reader whose output closes early (run.sh ... | head) keeps draining into
# /dev/null, so that the guest never blocks on a full port.
{ cat -- "$IO/stdout.out" || exec cat -- "$IO/stdout.out" >/dev/null; } &
CAT_PIDS+=($!)
{ cat -- "$IO/stderr.out" >&2 || exec cat -- "$IO/stderr.out" >/dev/null; } &
CAT_PIDS+=($!)

accel=tcg
[[ $CPUS -gt 1 ]] && accel=tcg,thread=multi
append="console=ttyS0 quiet loglevel=4 panic=-1"
[[ -n ${LAB_DEBUG:-} ]] && append="console=ttyS0 loglevel=7 panic=-1 lab.debug=1"
append+=" ${LAB_APPEND:-}"

# qboot starts in milliseconds where SeaBIOS takes about a second here.
bios=()
[[ -f /usr/share/qemu/qboot.rom ]] && bios=(-bios /usr/share/qemu/qboot.rom)

# shellcheck disable=SC2054 # commas belong to qemu's option syntax
qemu=(
  qemu-system-x86_64
  -nodefaults -no-user-config -nographic -no-reboot
  -machine pc -accel "$accel" -cpu max -smp "$CPUS" -m "$MEM" "${bios[@]}"
  -kernel "$LAB_KERNEL" -initrd "$LAB_INITRD" -append "$append"
  -serial "file:$(qemu_path "$IO/console.log")"
  -device virtio-rng-pci
  -virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap
  -virtfs "local,path=$(qemu_path "$JOB"),mount_tag=labjob,security_model=none"
  "${share_args[@]}"
  -device virtio-serial-pci
  -chardev "pipe,id=out,path=$(qemu_path "$IO/stdout")"
  -device virtserialport,chardev=out,name=stdout
  -chardev "pipe,id=err,path=$(qemu_path "$IO/stderr")"
  -device virtserialport,chardev=err,name=stderr
)
# For experiments and debugging only: extra qemu arguments, split on spaces.
# shellcheck disable=SC2206
[[ -n ${LAB_QEMU_ARGS:-} ]] && qemu+=($LAB_QEMU_ARGS)

start=$(date +%s.%N)
# --pdeathsig: qemu dies with us even if we are killed with SIGKILL.
setpriv --pdeathsig KILL -- "${qemu[@]}" </dev/null >"$IO/qemu.out" 2>"$IO/qemu.err" &
QEMU_PID=$!
qemu_pid=$QEMU_PID
setpriv --pdeathsig KILL -- sleep "$TIMEOUT" &
SLEEP_PID=$!

timed_out=0
wait -n "$QEMU_PID" "$SLEEP_PID" || true
if kill -0 "$QEMU_PID" 2>/dev/null; then
  timed_out=1
  stop_qemu
fi
qemu_rc=0
wait "$QEMU_PID" || qemu_rc=$?
QEMU_PID=
kill_pid "$SLEEP_PID"
wait "$SLEEP_PID" 2>/dev/null || true
SLEEP_PID=

# Let both readers drain what qemu wrote (waking one that qemu never reached).
release_readers
for pid in "${CAT_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
CAT_PIDS=()

elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')

show_console() {
  if [[ -s $IO/console.log ]]; then
    log "guest console (last 40 lines):"
    tail -n 40 -- "$IO/console.log" | tr -d '\r' | sed 's/^/lab:   /' >&2
  else
    log "the guest console is empty"
  fi
  if [[ -s $IO/qemu.err ]]; then
    log "qemu stderr:"
    sed 's/^/lab:   /' -- "$IO/qemu.err" >&2
  fi
}

if [[ -n ${LAB_DEBUG:-} ]]; then
  log "guest console:"
  tr -d '\r' <"$IO/console.log" | sed 's/^/lab:   /' >&2
  sed 's/^/lab: qemu: /' -- "$IO/qemu.err" >&2
  log "guest finished in ${elapsed}s"
fi
if [[ $timed_out -eq 1 ]]; then
  log "timed out after ${TIMEOUT}s: killed the guest (qemu pid $qemu_pid)"
  exit 124
fi
if [[ -f $JOB/rc ]]; then
  rc=$(<"$JOB/rc")
  [[ $rc =~ ^[0-9]+$ ]] || { show_console; die "the guest reported a bad exit status '$rc'"; }
  [[ -n ${LAB_VERBOSE:-} ]] && log "guest finished in ${elapsed}s, exit status $rc"
  exit "$rc"
fi
show_console
die "the guest stopped after ${elapsed}s without reporting an exit status (qemu exit $qemu_rc): kernel panic, out of memory (--mem), or a lab failure"
