#!/usr/bin/env bash
# Builds the Debian package of Reconciler: artifacts/deb/reconciler_VERSION_amd64.deb.
#
#   bash packaging/deb/build.sh                  # publishes src/Reconciler.Cli (Release, linux-x64), then packages it
#   bash packaging/deb/build.sh --from DIR       # packages an existing `dotnet publish` folder
#   options: --version V (Debian version, default: see below), --output DIR (default artifacts/deb)
#
# Prints the path of the .deb on standard output (everything else goes to standard error).
#
# The publish folder may hold either layout `dotnet publish` gives:
#   native (NativeAOT): DIR/reconciler and DIR/libgit2-*.so (LibGit2Sharp's library, loaded at run time).
#     -> /usr/bin/reconciler, /usr/lib/reconciler/libgit2-*.so (Program.cs points LibGit2Sharp there).
#   framework-dependent: DIR/reconciler (the apphost), reconciler.dll and the other assemblies.
#     -> the whole folder in /usr/lib/reconciler, /usr/bin/reconciler a symlink to it (the apphost resolves the link
#        and finds its assemblies beside its target). It needs the .NET 10 runtime, which no Debian package of bookworm
#        provides (Microsoft's repository calls it dotnet-runtime-10.0; a tarball install has none): not declared.
# Depends is worked out from the ELF files packaged (the libraries ldd resolves, the glibc symbol versions they use),
# plus libssl3, which libgit2 opens with dlopen for https:// remotes and so no NEEDED entry shows.
#
# Package contents: /usr/bin/reconciler, /usr/lib/reconciler/, /lib/systemd/system/reconciler-agent.service (from
# examples/systemd, ExecStart pointed at /usr/bin), /usr/share/reconciler/topology.schema.json, /etc/reconciler/agent.json
# (conffile, the example settings), /usr/share/doc/reconciler/{README.md,copyright,changelog.Debian.gz}; the maintainer
# scripts (packaging/deb/*inst, *rm) create /var/lib/reconciler (0700), stop the agent on removal, remove state and
# settings on purge. Needs dpkg-deb (package dpkg) and, without --from, the .NET SDK.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/packaging/deb"
from=""
version=""
output="$root/artifacts/deb"

log() { printf 'deb: %s\n' "$*" >&2; }
die() { printf 'deb: error: %s\n' "$*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --from) from=${2:?--from needs a folder}; shift 2 ;;
    --version) version=${2:?--version needs a value}; shift 2 ;;
    --output) output=${2:?--output needs a folder}; shift 2 ;;
    -h|--help) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

command -v dpkg-deb >/dev/null || die "dpkg-deb is required (package dpkg)"
work=$(mktemp -d "${TMPDIR:-/tmp}/reconciler-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [[ -z "$from" ]]; then
  from="$work/publish"
  log "publishing src/Reconciler.Cli (Release, linux-x64) into $from"
  dotnet publish "$root/src/Reconciler.Cli" -c Release -r linux-x64 -o "$from" -nologo -clp:ErrorsOnly >&2
fi
from=$(cd "$from" && pwd)
[[ -x "$from/reconciler" ]] || die "$from/reconciler is missing: not a publish folder of src/Reconciler.Cli"
shopt -s nullglob
libgit2=("$from"/libgit2-*.so)
shopt -u nullglob
[[ ${#libgit2[@]} -ge 1 ]] || die "$from has no libgit2-*.so (LibGit2Sharp's native library)"

# --- Version: the assembly's (what `reconciler --version` prints before "+"), and where HEAD is relative to its tag.
#   HEAD tagged vX.Y.Z          -> X.Y.Z-1
#   vX.Y.Z is an ancestor       -> X.Y.Z+gitN.gSHA-1    (N commits after the release: sorts after it)
#   no tag vX.Y.Z yet           -> X.Y.Z~gitN.gSHA-1    (N = commits in HEAD's history: a pre-release, sorts before it)
if [[ -z "$version" ]]; then
  informational=$("$from/reconciler" --version) || die "'$from/reconciler --version' failed"
  upstream=${informational%%+*}
  [[ "$upstream" =~ ^[0-9][0-9A-Za-z.]*$ ]] || die "'$informational' does not start with a version Debian accepts"
  if sha=$(git -C "$root" rev-parse --short=7 HEAD 2>/dev/null); then
    if git -C "$root" describe --tags --exact-match --match "v$upstream" HEAD >/dev/null 2>&1; then
      version="$upstream-1"
    elif since=$(git -C "$root" rev-list --count "v$upstream..HEAD" 2>/dev/null); then
      version="$upstream+git$since.g$sha-1"
    else
      version="$upstream~git$(git -C "$root" rev-list --count HEAD).g$sha-1"
    fi
  else
    version="$upstream-1"
  fi
fi
[[ "$version" =~ ^[0-9][A-Za-z0-9.+~-]*$ ]] || die "'$version' is not a Debian version"

# --- The tree.
tree="$work/tree"
install -d -m 0755 "$tree/DEBIAN" "$tree/usr/bin" "$tree/usr/lib/reconciler" "$tree/lib/systemd/system" \
  "$tree/usr/share/reconciler" "$tree/usr/share/doc/reconciler" "$tree/etc/reconciler"
if [[ -f "$from/reconciler.dll" ]]; then
  layout="framework-dependent"
  log "WARNING: $from is a framework-dependent publish: the package needs the .NET 10 runtime installed, and says nothing of it"
  # Everything but debug symbols; the apphost keeps its executable bit, libraries and assemblies are 0644.
  (cd "$from" && find . -type f ! -name '*.pdb' ! -name '*.dbg' -print0) | while IFS= read -r -d '' file; do
    mode=0644
    [[ "$file" == ./reconciler ]] && mode=0755
    install -D -m "$mode" "$from/$file" "$tree/usr/lib/reconciler/$file"
  done
  ln -s ../lib/reconciler/reconciler "$tree/usr/bin/reconciler"
else
  layout="native"
  for file in "$from"/*; do
    case "$(basename "$file")" in
      reconciler|libgit2-*.so|*.dbg|*.pdb) ;;
      *) die "unexpected file in a native publish: $file (package it, or say why not)" ;;
    esac
  done
  install -m 0755 "$from/reconciler" "$tree/usr/bin/reconciler"
  install -m 0644 "${libgit2[@]}" "$tree/usr/lib/reconciler/"
fi
# libgit2 comes from NuGet with its symbol table; strip it as Debian would (binutils: every machine that can publish
# the native build has it, NativeAOT strips with objcopy).
if command -v strip >/dev/null; then
  for file in "$tree"/usr/lib/reconciler/libgit2-*.so; do
    strip --strip-unneeded --remove-section=.comment --remove-section=.note "$file"
  done
else
  log "strip (binutils) not found: libgit2 is packaged with its symbol table"
fi
# LibGit2Sharp 0.32, pointed at /usr/lib/reconciler (src/Reconciler.Cli/Program.cs), opens git2-HASH.so there: its
# import name without the "lib" prefix of the file's name.
for file in "${libgit2[@]}"; do
  name=$(basename "$file")
  ln -s "$name" "$tree/usr/lib/reconciler/${name#lib}"
done

unit="$tree/lib/systemd/system/reconciler-agent.service"
sed 's#/usr/local/bin/reconciler #/usr/bin/reconciler #g' "$root/examples/systemd/reconciler-agent.service" >"$unit"
chmod 0644 "$unit"
grep -q '^ExecStart=/usr/bin/reconciler agent ' "$unit" || die "the unit's ExecStart does not run /usr/bin/reconciler: check examples/systemd/reconciler-agent.service"
if grep -q '^Environment=.*DOTNET_' "$unit" && [[ "$layout" == native ]]; then
  die "the unit sets DOTNET_* variables, which a native executable ignores"
fi
install -m 0644 "$root/schemas/topology.schema.json" "$tree/usr/share/reconciler/topology.schema.json"
install -m 0644 "$root/examples/systemd/agent.json" "$tree/etc/reconciler/agent.json"
install -m 0644 "$root/README.md" "$tree/usr/share/doc/reconciler/README.md"
install -m 0644 "$here/copyright" "$tree/usr/share/doc/reconciler/copyright"
sha_full=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)
when=$(git -C "$root" log -1 --format=%aD HEAD 2>/dev/null || date -R)
printf 'reconciler (%s) unstable; urgency=medium\n\n  * Built from commit %s (%s publish).\n\n -- %s  %s\n' \
  "$version" "${sha_full:0:12}" "$layout" "$(sed -n 's/^Maintainer: //p' "$here/control.in")" "$when" \
  | gzip -9n >"$tree/usr/share/doc/reconciler/changelog.Debian.gz"
chmod 0644 "$tree/usr/share/doc/reconciler/changelog.Debian.gz"

# --- Depends, from what the packaged ELF files link: ldd (libc-bin, essential: no binutils needed) resolves their
# libraries, dpkg -S names the packages, and the highest GLIBC_x.y symbol version they ask for sets libc6's minimum.
declare -A depends=()
glibc="2.2.5"
while IFS= read -r -d '' file; do
  [[ "$(od -An -tx1 -N4 "$file" | tr -d ' ')" == 7f454c46 ]] || continue
  linked=$(ldd "$file") || die "ldd $file failed"
  ! grep -q 'not found' <<<"$linked" || die "$file needs libraries this machine does not have:"$'\n'"$linked"
  while read -r lib path; do
    case "$lib" in
      libc.so.6|libm.so.6|libdl.so.2|libpthread.so.0|librt.so.1|ld-linux-x86-64.so.2) depends[libc6]=1 ;;
      *)
        owner=""
        # dpkg knows the path as the package ships it: with usrmerge that may be /lib/... or /usr/lib/...
        for candidate in "$path" "$(readlink -f "$path")" "${path#/usr}" "/usr${path#/usr}"; do
          owner=$(dpkg -S "$candidate" 2>/dev/null | head -n 1 | cut -d: -f1) && [[ -n "$owner" ]] && break
        done
        [[ -n "$owner" ]] || die "$file needs $lib ($path), which no Debian package owns"
        depends[$owner]=1 ;;
    esac
  done < <(awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 } $1 ~ /^\/.*ld-linux/ { print "ld-linux-x86-64.so.2", $1 }' <<<"$linked")
  for v in $(grep -aoE 'GLIBC_[0-9]+(\.[0-9]+)+' "$file" | sed 's/GLIBC_//' | sort -uV); do
    if dpkg --compare-versions "$v" gt "$glibc"; then glibc=$v; fi
  done
done < <(find "$tree/usr" -type f -print0)
[[ -n "${depends[libc6]:-}" ]] || die "no packaged ELF file links libc: nothing was found to package?"
unset 'depends[libc6]'
depends_line="libc6 (>= $glibc)"
for package in $(printf '%s\n' "${!depends[@]}" | sort); do
  depends_line+=", $package"
done
# libgit2 dlopens libssl for https:// remotes (bookworm: libssl3; trixie renamed it libssl3t64). The unit's ExecStartPre
# runs modprobe.
depends_line+=", libssl3 | libssl3t64, kmod"

# lintian: what is known and accepted.
overrides="$tree/usr/share/lintian/overrides/reconciler"
install -d -m 0755 "$(dirname "$overrides")"
{
  echo "# libgit2 as LibGit2Sharp builds it carries its own zlib (no Debian libgit2 matches LibGit2Sharp's ABI)."
  for file in "$tree"/usr/lib/reconciler/libgit2-*.so; do
    echo "reconciler: embedded-library zlib [${file#"$tree"/}]"
  done
  if [[ "$layout" == native ]]; then
    echo "# The .NET runtime compiled into the native executable carries its own zlib(-ng)."
    echo "reconciler: embedded-library zlib [usr/bin/reconciler]"
    echo "# Linked at a fixed address on purpose: it starts with a sixth of the page faults (src/Reconciler.Cli/Reconciler.Cli.csproj)."
    echo "reconciler: hardening-no-pie [usr/bin/reconciler]"
  fi
  echo "# Built from this repository, not uploaded to Debian: no bug to close."
  echo "reconciler: initial-upload-closes-no-bugs [usr/share/doc/reconciler/changelog.Debian.gz:1]"
} >"$overrides"
chmod 0644 "$overrides"

installed_size=$(du -sk --exclude=DEBIAN "$tree" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@DEPENDS@/$depends_line/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
  "$here/control.in" >"$tree/DEBIAN/control"
echo /etc/reconciler/agent.json >"$tree/DEBIAN/conffiles"
for script in postinst prerm postrm; do
  install -m 0755 "$here/$script" "$tree/DEBIAN/$script"
done
(cd "$tree" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) >"$tree/DEBIAN/md5sums"
chmod 0644 "$tree/DEBIAN/control" "$tree/DEBIAN/conffiles" "$tree/DEBIAN/md5sums"

# Reproducible: every file dated from the commit (or SOURCE_DATE_EPOCH), which dpkg-deb also uses for the archive.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct HEAD 2>/dev/null || date +%s)}
find "$tree" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

mkdir -p "$output"
# One package in the folder, so that `apt-get install ./artifacts/deb/reconciler_*.deb` names one file.
rm -f "$output"/reconciler_*_amd64.deb
deb="$(cd "$output" && pwd)/reconciler_${version}_amd64.deb"
dpkg-deb --build --root-owner-group "$tree" "$deb" >&2
log "$layout publish, Depends: $depends_line"
log "$(du -h "$deb" | cut -f1) $deb"
echo "$deb"
