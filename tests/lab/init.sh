#!/bin/busybox sh
# shellcheck shell=dash
# PID 1 of the lab guest; runs from the initramfs with busybox only.
# Built into the initramfs by prepare.sh; started by run.sh. It:
#  1. loads the kernel modules listed in /lib/modules/load-early, then those in
#     load-late while it mounts the root,
#  2. mounts the host's / (9p tag "host", read-only) under a tmpfs overlay,
#  3. mounts fresh /proc, /sys, /dev, /run and /tmp, binds back over them the
#     host folders the job lists in /run/lab/keep (a checkout under /tmp), and
#     mounts the job share (tag "labjob") at /run/lab and any --share dirs,
#  4. runs /run/lab/cmd.sh chrooted in the overlay, stdout and stderr on the
#     virtio ports "stdout" and "stderr" (the host's run.sh streams them),
#  5. writes the exit status to /run/lab/rc and powers off.
# Messages of its own go to the serial console, which run.sh keeps in a file
# and shows only when the guest fails.

/bin/busybox --install -s /bin
export PATH=/bin

NEW=/newroot
# 9p mount options. msize: the largest 9p message (the kernel caps it at what
# virtio allows, 512 KiB); cache: see README.md for what was measured.
P9_OPTS=trans=virtio,version=9p2000.L,msize=524288

say() { echo "lab-init: $*" >/dev/console; }

# A guest that cannot run the command reports why on the console and stops;
# run.sh sees no exit status and shows the console.
fail() {
  say "FATAL: $*"
  poweroff -f
  sleep 5
  exit 1
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

DEBUG=0
ROOT_CACHE=loose
read -r cmdline </proc/cmdline
for arg in $cmdline; do
  case $arg in
    lab.debug=1) DEBUG=1 ;;
    lab.cache=*) ROOT_CACHE=${arg#lab.cache=} ;;
  esac
done
stamp() { [ "$DEBUG" = 1 ] && say "$(cut -d' ' -f1 /proc/uptime)s $*"; return 0; }
stamp "init started"

load_modules() {
  lm_status=0
  while read -r mod; do
    insmod "/lib/modules/$mod" || { say "insmod $mod failed"; lm_status=1; }
  done <"$1"
  return $lm_status
}
load_modules /lib/modules/load-early || fail "cannot load the modules the lab needs to boot"
load_modules /lib/modules/load-late &
LATE_PID=$!
stamp "early modules loaded"

mkdir -p /host /rw "$NEW"
mount -t 9p -o "$P9_OPTS,ro,cache=$ROOT_CACHE" host /host || fail "cannot mount the host's / (9p tag host)"
mount -t tmpfs -o mode=755 rw /rw
mkdir -p /rw/upper /rw/work
mount -t overlay overlay -o lowerdir=/host,upperdir=/rw/upper,workdir=/rw/work "$NEW" ||
  fail "cannot mount the overlay"
# The overlay's own view, for the folders bound back over the fresh /tmp and /run.
mkdir -p /overlay
mount --bind "$NEW" /overlay || fail "cannot bind the overlay"

mount -t proc proc "$NEW/proc"
mount -t sysfs sysfs "$NEW/sys"
mount -t devtmpfs devtmpfs "$NEW/dev"
mkdir -p "$NEW/dev/pts" "$NEW/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$NEW/dev/pts"
mount -t tmpfs -o mode=1777 shm "$NEW/dev/shm"
mount -t tmpfs -o mode=755 run "$NEW/run"
mkdir -p "$NEW/run/netns" "$NEW/run/lab" "$NEW/run/lock"
mount -t tmpfs -o mode=1777 tmp "$NEW/tmp"
mount -t 9p -o "$P9_OPTS" labjob "$NEW/run/lab" || fail "cannot mount the job share (9p tag labjob)"

# Folders under /tmp or /run the command needs (its working directory, the
# checkout, the lab cache: lines of absolute paths, run.sh writes them): the
# overlay's view of each, writable and discarded like the rest of /.
if [ -f "$NEW/run/lab/keep" ]; then
  while read -r path; do
    [ -n "$path" ] || continue
    mkdir -p "$NEW$path" || fail "cannot create $path to bind it back"
    mount --bind "/overlay$path" "$NEW$path" || fail "cannot bind $path back over the fresh filesystem"
  done <"$NEW/run/lab/keep"
fi
stamp "root mounted"

# The full module tree of this kernel (from the lab cache, seen through the
# host's /) for modprobe and on-demand loading.
KVER=$(cat /lib/modules/version)
TREE=$(cat /lib/modules/tree)
if [ -d "$NEW$TREE" ]; then
  mkdir -p "$NEW/lib/modules/$KVER"
  mount --bind "$NEW$TREE" "$NEW/lib/modules/$KVER"
fi

# --share dirs: lines "TAG PATH" (PATH may hold spaces), same path as on the host.
if [ -f "$NEW/run/lab/shares" ]; then
  while read -r tag path; do
    [ -n "$tag" ] || continue
    mkdir -p "$NEW$path" || fail "cannot create $path for share $tag"
    mount -t 9p -o "$P9_OPTS" "$tag" "$NEW$path" || fail "cannot mount share $tag at $path"
  done <"$NEW/run/lab/shares"
fi

wait $LATE_PID || say "warning: some kernel modules failed to load"
stamp "late modules loaded"

hostname lab
ip link set lo up

OUT=/dev/console
ERR=/dev/console
for port in /sys/class/virtio-ports/*; do
  [ -e "$port/name" ] || continue
  case $(cat "$port/name") in
    stdout) OUT=/dev/${port##*/} ;;
    stderr) ERR=/dev/${port##*/} ;;
  esac
done
cp "$NEW/run/lab/cmd.sh" "$NEW/run/lab-cmd.sh" 2>/dev/null || fail "no command script in the job share"

stamp "starting command"
env -i \
  HOME=/root \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  TERM=dumb LANG=C.UTF-8 \
  LAB_GUEST=1 \
  DOTNET_CLI_TELEMETRY_OPTOUT=1 \
  DOTNET_NOLOGO=1 \
  DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 \
  DOTNET_GENERATE_ASPNET_CERTIFICATE=false \
  DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE=1 \
  DOTNET_CLI_UPDATE_CHECK_DISABLE=1 \
  MSBUILDDISABLENODEREUSE=1 \
  NUGET_XMLDOC_MODE=skip \
  chroot "$NEW" /bin/bash /run/lab-cmd.sh </dev/null >"$OUT" 2>"$ERR"
rc=$?
stamp "command exited with $rc"

if ! { echo "$rc" >"$NEW/run/lab/rc.tmp" && mv "$NEW/run/lab/rc.tmp" "$NEW/run/lab/rc"; }; then
  fail "cannot write the exit status"
fi
sync
poweroff -f
