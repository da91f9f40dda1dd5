#!/usr/bin/env bash
# Prepares the kernel lab: host packages, a Debian kernel with IPVS, and an
# initramfs that mounts the host read-only inside a qemu guest.
#
# Idempotent. Needs root only when Debian packages are missing (then it runs
# itself again through sudo if it can); a second run with a current cache is a
# fast, silent no-op. Otherwise it says what each phase does and how long it
# took. Everything it builds lives in the repository's .lab-cache/ (git-ignored).
# See tests/lab/README.md.
set -euo pipefail

LAB_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd -- "$LAB_DIR/../.." && pwd -P)
CACHE=${LAB_CACHE:-$REPO_ROOT/.lab-cache}
INIT_SCRIPT=$LAB_DIR/init.sh
# shellcheck source=tests/lab/phases.sh
source "$LAB_DIR/phases.sh"
# shellcheck source=tests/lab/root.sh
source "$LAB_DIR/root.sh"
phase_prefix='lab-prepare: '
phase_total=4

# Host packages the lab needs. The guest runs the host's own binaries (it sees
# the host's / read-only), so everything a test uses inside the guest is
# installed here.
PACKAGES=(
  qemu-system-x86 busybox-static cpio kmod ipvsadm keepalived nginx curl
  iproute2 tshark tcpdump strace iputils-ping procps psmisc git
  openssh-client gnupg socat xz-utils jq
  gcc libc6-dev zlib1g-dev
  prometheus
  chromium
  dnsmasq-base python3-aiosmtpd
)
# gcc, libc6-dev and zlib1g-dev: the NativeAOT publish of src/Reconciler.Cli compiles and links with them.
# prometheus: the server and promtool, that the agent's /metrics is checked and scraped with (its service is
# not started: the policy below keeps every daemon of the install down).
# chromium: the agent's status page is tested in a real browser, headless (about 125 MB to download, 410 MB installed).
# dnsmasq-base and python3-aiosmtpd: the real DNS and SMTP servers the DNS_CHECK and SMTP_CHECK probes are tested against
# (dnsmasq-base has no service; aiosmtpd runs under /usr/bin/python3, Debian's, whatever python3 comes first on PATH).

# Kernel modules the guest loads, in this order, each with its dependency
# closure. crc32c_generic comes first: libcrc32c (needed by ip_vs) fails
# without it. Names missing from the kernel are skipped; names marked with a
# trailing '!' are required.
EARLY_MODULES=(
  crc32c_generic!
  virtio_pci! virtio_console! virtio_rng 9pnet_virtio! 9p! overlay!
)
# Loaded while the root is being mounted.
LATE_MODULES=(
  ip_vs!
  ip_vs_rr ip_vs_wrr ip_vs_lc ip_vs_wlc ip_vs_lblc ip_vs_lblcr ip_vs_dh
  ip_vs_sh ip_vs_sed ip_vs_nq ip_vs_fo ip_vs_ovf ip_vs_mh ip_vs_twos
  nf_conntrack
  veth! bridge! dummy! macvlan ipvlan
  ipip ip_gre gre fou fou6 ip6_tunnel sit
  af_packet sch_netem
)

log() { printf 'lab-prepare: %s\n' "$*" >&2; }
die() { printf 'lab-prepare: error: %s\n' "$*" >&2; exit 1; }

is_root() { [[ $(id -u) -eq 0 ]]; }

# --- host packages ------------------------------------------------------------

missing_packages() {
  # One dpkg-query for all: packages it does not know are reported on stderr
  # and simply absent from the "installed" list.
  local -A installed=()
  local pkg status
  while read -r pkg status; do
    [[ $status == installed ]] && installed[${pkg%%:*}]=1
  done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${PACKAGES[@]}" 2>/dev/null || true)
  for pkg in "${PACKAGES[@]}"; do
    [[ -n ${installed[$pkg]:-} ]] || printf '%s\n' "$pkg"
  done
}

apt_lists_present() {
  compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null ||
    compgen -G '/var/lib/apt/lists/*_Packages.*' >/dev/null
}

APT_UPDATED=0
apt_update() {
  [[ $APT_UPDATED -eq 1 ]] && return 0
  log "apt-get update"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq </dev/null >&2 ||
    die "apt-get update failed"
  APT_UPDATED=1
}

# PIDs of host processes whose command name is $1.
pids_named() {
  local dir comm
  for dir in /proc/[0-9]*; do
    comm=$(cat "$dir/comm" 2>/dev/null) || continue
    [[ $comm == "$1" ]] && printf '%s\n' "${dir#/proc/}"
  done
  return 0
}

install_packages() {
  local -a missing=("$@")
  command -v apt-get >/dev/null || die "apt-get not found: the lab needs a Debian host"
  phase_start 1 packages "installing Debian packages (first run only): ${missing[*]}"
  apt_update

  # Services must not start on the host: a keepalived started here would touch
  # the host's network. policy-rc.d exiting 101 forbids invoke-rc.d to start
  # anything; remove it afterwards only if we created it.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\n# written by tests/lab/prepare.sh during apt-get install\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    created_policy=1
  fi
  local -a before
  mapfile -t before < <(pids_named nginx; pids_named keepalived; pids_named prometheus)

  echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections

  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q \
    --no-install-recommends -o Dpkg::Options::=--force-confdef \
    -o Dpkg::Options::=--force-confold "${missing[@]}" </dev/null >&2 || rc=$?
  if [[ $created_policy -eq 1 ]]; then rm -f "$policy"; fi

  local pid old stray
  for pid in $(pids_named nginx; pids_named keepalived; pids_named prometheus); do
    stray=1
    for old in "${before[@]}"; do [[ $old == "$pid" ]] && stray=0; done
    if [[ $stray -eq 1 ]]; then
      log "warning: the install started $(cat "/proc/$pid/comm" 2>/dev/null) on the host (pid $pid): killing it"
      kill "$pid" 2>/dev/null || true
    fi
  done
  [[ $rc -eq 0 ]] || die "apt-get install failed (exit $rc)"

  # The prometheus package enables its unit: a host that boots later would run a server on port 9090 for nothing.
  local pkg
  for pkg in "${missing[@]}"; do
    if [[ $pkg == prometheus ]] && command -v systemctl >/dev/null; then
      systemctl disable prometheus.service >/dev/null 2>&1 || true
    fi
  done
  phase_end
}

# --- kernel -------------------------------------------------------------------

# The versioned kernel package linux-image-amd64 currently depends on.
# apt-cache takes about a second here (no pkgcache.bin), so the answer is
# remembered until the apt lists change.
resolve_kernel_package() {
  local lists_stamp="" memo=$CACHE/kernel-package
  if apt_lists_present; then
    lists_stamp=$(stat -c '%n %Y %s' /var/lib/apt/lists/*_Packages* 2>/dev/null | sha256sum | cut -c1-16)
    if [[ -f $memo ]]; then
      local stamp pkg
      read -r stamp pkg <"$memo" || true
      if [[ $stamp == "$lists_stamp" && -n $pkg ]]; then
        printf '%s\n' "$pkg"
        return 0
      fi
    fi
  fi
  local pkg
  pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
    awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
  if [[ -n $pkg && -n $lists_stamp ]] && mkdir -p -- "$CACHE" 2>/dev/null; then
    if printf '%s %s\n' "$lists_stamp" "$pkg" >"$memo.$$" 2>/dev/null; then
      mv -f -- "$memo.$$" "$memo" 2>/dev/null || true
    fi
  fi
  printf '%s\n' "$pkg"
}

# --- main ---------------------------------------------------------------------

main() {
  local -a missing
  mapfile -t missing < <(missing_packages)
  if [[ ${#missing[@]} -gt 0 ]]; then
    become_root lab-prepare "Debian packages missing: ${missing[*]}" "$LAB_DIR/prepare.sh" "$@"
    install_packages "${missing[@]}"
  fi

  local kpkg
  kpkg=$(resolve_kernel_package)
  if [[ -z $kpkg ]] && is_root && ! apt_lists_present; then
    phase_start 2 kernel "finding the kernel behind linux-image-amd64: apt-get update (no package lists yet)"
    apt_update
    kpkg=$(resolve_kernel_package)
    phase_end
  fi
  if [[ -z $kpkg ]]; then
    if [[ -f $CACHE/lab.env ]]; then
      log "warning: cannot resolve linux-image-amd64 (no apt lists?); keeping the cached kernel"
      return 0
    fi
    die "cannot resolve the kernel package behind linux-image-amd64 (run 'apt-get update' as root)"
  fi
  local kver=${kpkg#linux-image-}

  local key
  key=$({ cat -- "$INIT_SCRIPT" "${BASH_SOURCE[0]}"; printf '%s' "$CACHE"; } | sha256sum | cut -c1-16)
  key="$kver-$key"
  if [[ -f $CACHE/lab.env ]] && grep -qxF "LAB_KEY=$key" "$CACHE/lab.env"; then
    return 0 # current
  fi

  mkdir -p -- "$CACHE"
  # One builder at a time; others wait, then find the cache current.
  exec 9>"$CACHE/prepare.lock"
  if ! flock -n 9; then
    log "waiting for another prepare.sh to finish building $CACHE"
    flock 9
  fi
  if [[ -f $CACHE/lab.env ]] && grep -qxF "LAB_KEY=$key" "$CACHE/lab.env"; then
    return 0
  fi
  build "$kpkg" "$kver" "$key"
}

build() {
  local kpkg=$1 kver=$2 key=$3
  local deb_dir=$CACHE/debs kroot=$CACHE/kernel-$kver
  mkdir -p -- "$deb_dir"

  if [[ ! -f $kroot/.complete ]]; then
    local deb
    deb=$(compgen -G "$deb_dir/${kpkg}_*.deb" | head -n1 || true)
    if [[ -z $deb ]]; then
      phase_start 2 kernel "downloading the lab's kernel, $kpkg (about 70 MB; first run, or when Debian updates it)"
      (cd -- "$deb_dir" && apt-get -o APT::Sandbox::User=root download -q "$kpkg" </dev/null >&2) ||
        { apt_update && (cd -- "$deb_dir" && apt-get -o APT::Sandbox::User=root download -q "$kpkg" </dev/null >&2); } ||
        die "apt-get download $kpkg failed"
      deb=$(compgen -G "$deb_dir/${kpkg}_*.deb" | head -n1 || true)
      [[ -n $deb ]] || die "apt-get download $kpkg left no .deb in $deb_dir"
      phase_end "$(du -h -- "$deb" | cut -f1)"
    fi
    phase_start 3 unpack "unpacking the kernel and its modules into $kroot (depmod, vmlinux)"
    rm -rf -- "$kroot"
    mkdir -p -- "$kroot"
    dpkg -x "$deb" "$kroot"
    [[ -d $kroot/lib/modules/$kver ]] || die "no lib/modules/$kver in $deb"
    depmod -b "$kroot" "$kver"
    touch -- "$kroot/.complete"
  fi
  local vmlinuz=$kroot/boot/vmlinuz-$kver
  [[ -f $vmlinuz ]] || die "no boot/vmlinuz-$kver in the kernel package"
  local kernel=$vmlinuz
  if grep -qx 'CONFIG_PVH=y' "$kroot/boot/config-$kver" 2>/dev/null; then
    if [[ -f $kroot/vmlinux || -n $(extract_vmlinux "$vmlinuz" "$kroot/vmlinux") ]]; then
      kernel=$kroot/vmlinux
    fi
  fi
  phase_end

  phase_start 4 initramfs "building the initramfs for kernel $kver (busybox, init.sh, the lab's modules)"

  local stage
  stage=$(mktemp -d "$CACHE/initramfs.XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -rf -- '$stage'" EXIT
  build_initramfs "$kroot" "$kver" "$stage/root"
  local initrd=$CACHE/initrd-$key.cpio
  (cd -- "$stage/root" && find . -print0 | LC_ALL=C sort -z |
    cpio --null --create --format=newc --quiet) >"$stage/initrd.cpio"
  mv -f -- "$stage/initrd.cpio" "$initrd"
  rm -rf -- "$stage"
  trap - EXIT

  {
    printf 'LAB_KEY=%s\n' "$key"
    printf 'LAB_KERNEL_VERSION=%q\n' "$kver"
    printf 'LAB_KERNEL=%q\n' "$kernel"
    printf 'LAB_INITRD=%q\n' "$initrd"
  } >"$CACHE/lab.env.tmp"
  mv -f -- "$CACHE/lab.env.tmp" "$CACHE/lab.env"

  # Drop what the previous key left behind.
  # Older initramfs files go once nothing can still be starting with them
  # (a run.sh that read the old lab.env a moment ago).
  find "$CACHE" -maxdepth 1 -name 'initrd-*.cpio' ! -name "${initrd##*/}" -mmin +10 -delete
  local old
  for old in "$CACHE"/kernel-[0-9]*; do
    [[ $old == "$kroot" ]] || rm -rf -- "$old"
  done
  for old in "$deb_dir"/*.deb; do
    [[ -e $old && $(basename -- "$old") != "${kpkg}"_* ]] && rm -f -- "$old"
  done
  phase_end "${#BUILT_MODULES[@]} modules, $(du -h -- "$initrd" | cut -f1)"
}

# Unpacks the ELF vmlinux from a bzImage. qemu boots it directly through its
# PVH entry point, which spares the guest the kernel's own decompression (about
# a second of emulated CPU). Prints the output path on success.
extract_vmlinux() {
  local in=$1 out=$2 magic tool off
  for magic in xz zstd gzip; do
    case $magic in
      xz) off=$(LC_ALL=C grep -abo $'\xfd7zXZ\x00' -- "$in" | head -n1 | cut -d: -f1); tool=(xz -dc) ;;
      zstd) off=$(LC_ALL=C grep -abo $'\x28\xb5\x2f\xfd' -- "$in" | head -n1 | cut -d: -f1); tool=(zstd -qdc) ;;
      gzip) off=$(LC_ALL=C grep -abo $'\x1f\x8b\x08' -- "$in" | head -n1 | cut -d: -f1); tool=(gzip -dc) ;;
    esac
    if [[ -z $off ]] || ! command -v "${tool[0]}" >/dev/null; then continue; fi
    tail -c "+$((off + 1))" -- "$in" | "${tool[@]}" >"$out.tmp" 2>/dev/null || true
    if [[ $(head -c4 -- "$out.tmp" | od -An -tx1 | tr -d ' \n') == 7f454c46 ]]; then
      mv -f -- "$out.tmp" "$out"
      printf '%s\n' "$out"
      return 0
    fi
  done
  rm -f -- "$out.tmp"
  log "warning: cannot unpack vmlinux from $in; booting the compressed kernel"
}

build_initramfs() {
  local kroot=$1 kver=$2 root=$3
  mkdir -p -- "$root"/{bin,dev,proc,sys,mnt,lib/modules}
  cp -- /bin/busybox "$root/bin/busybox"
  cp -- "$INIT_SCRIPT" "$root/init"
  chmod 755 "$root/init" "$root/bin/busybox"

  # Resolve each module's dependency closure in load order; keep each file once.
  local -A seen=()
  local -a order=()
  write_load_order "$kroot" "$kver" "$root" "$root/lib/modules/load-early" "${EARLY_MODULES[@]}"
  write_load_order "$kroot" "$kver" "$root" "$root/lib/modules/load-late" "${LATE_MODULES[@]}"
  # The guest also gets the whole module tree at /lib/modules/$kver (for
  # modprobe and the kernel's on-demand loading).
  printf '%s\n' "$kver" >"$root/lib/modules/version"
  printf '%s\n' "$kroot/lib/modules/$kver" >"$root/lib/modules/tree"
  BUILT_MODULES=("${order[@]}")
}

# Drops the signature appended to a module file. Checking it costs the
# emulated guest about as much as the rest of loading the module (measured:
# 53 modules in 2.2 s unsigned against 4.3 s signed); the kernel accepts
# unsigned modules (CONFIG_MODULE_SIG_FORCE is not set) and only notes a taint.
strip_module_signature() {
  local f=$1 marker='~Module signature appended~' size len
  size=$(stat -c %s -- "$f")
  [[ $size -gt 40 ]] || return 0
  [[ $(tail -c 28 -- "$f" | tr -d '\n') == "$marker" ]] || return 0
  # struct module_signature (12 bytes, sig_len big-endian last) precedes the marker.
  len=$(tail -c 32 -- "$f" | head -c 4 | od -An -tu1 | awk '{ print ((($1 * 256 + $2) * 256 + $3) * 256 + $4) }')
  [[ $len -gt 0 && $len -lt $((size - 40)) ]] || return 0
  truncate -s $((size - 40 - len)) -- "$f"
}

# Appends the dependency closure of each named module to LIST, in load order,
# and copies (uncompressed) each module file into the initramfs once. Uses the
# caller's "seen" and "order".
write_load_order() {
  local kroot=$1 kver=$2 root=$3 list=$4
  shift 4
  local spec name required line path base out
  : >"$list"
  for spec in "$@"; do
    name=${spec%!}
    required=0
    [[ $spec == *! ]] && required=1
    if ! out=$(modprobe -d "$kroot" -S "$kver" --show-depends "$name" 2>/dev/null); then
      [[ $required -eq 1 ]] && die "kernel $kver has no module $name"
      continue
    fi
    while IFS= read -r line; do
      [[ $line == insmod\ * ]] || continue
      path=${line#insmod }
      path=${path%% *}
      base=$(basename -- "$path")
      base=${base%.xz}
      base=${base%.zst}
      base=${base%.gz}
      [[ -z ${seen[$base]:-} ]] || continue
      seen[$base]=1
      order+=("$base")
      printf '%s\n' "$base" >>"$list"
      case $path in
        *.xz) xz -dc -- "$path" >"$root/lib/modules/$base" ;;
        *.zst) zstd -qdc -- "$path" >"$root/lib/modules/$base" ;;
        *.gz) gzip -dc -- "$path" >"$root/lib/modules/$base" ;;
        *) cp -- "$path" "$root/lib/modules/$base" ;;
      esac
      strip_module_signature "$root/lib/modules/$base"
    done <<<"$out"
  done
}

BUILT_MODULES=()
main "$@"
phase_summary "lab cache $CACHE ready"
