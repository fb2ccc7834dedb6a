#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# build-standin.sh: build a LOCAL STAND-IN for the GNOME 49 runtime and SDK, for testing only.
#
# This machine cannot download org.gnome.Platform//49 from Flathub, so we assemble a runtime and
# an SDK with the same names and branch from Debian 12's packages (debootstrap --variant=minbase
# from the archive apt already uses), export them into a local OSTree repository and install
# them into the Flatpak installation given by FLATPAK_USER_DIR. Real users get the real GNOME
# runtime from Flathub; nothing here is ever published.
#
# Usage: build-standin.sh CACHE_DIR
#   CACHE_DIR/repo          the OSTree repository (bare-user-only: fast to export and pull)
#   CACHE_DIR/standin.flatpakrepo  a .flatpakrepo file pointing at it (for bundles)
#   CACHE_DIR/debs          the package cache (debootstrap's and apt's)
#   CACHE_DIR/roots         the debootstrapped trees (removed after export)
# The runtime is (re)built only when this script's content changed or the refs are missing, so
# a second run takes a second. Needs root (debootstrap, chroot).

set -euo pipefail

cache=${1:?usage: build-standin.sh CACHE_DIR}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
: "${FLATPAK_USER_DIR:?set FLATPAK_USER_DIR to the installation to install the stand-in into}"

branch=49
arch=$(flatpak --default-arch)
repo=$cache/repo
remote=feedwatch-standin

# What the runtime holds: GTK 4, libadwaita, libsoup 3, json-glib, libsecret and what they load at run
# time (GIO modules for TLS, pixbuf loaders for SVG icons, GL loaders and Mesa's software
# rasterizer, fonts, icon themes, schemas, MIME data), plus flatpak-spawn for host commands, and
# OpenSSL, which the manifest's libpq and libmosquitto link (the GNOME runtime has it too).
platform_packages=(
  adwaita-icon-theme ca-certificates dconf-gsettings-backend flatpak-xdg-utils
  fonts-cantarell fonts-dejavu-core glib-networking gsettings-desktop-schemas
  hicolor-icon-theme libadwaita-1-0 libegl1 libegl-mesa0 libgl1 libgl1-mesa-dri libgles2
  libglib2.0-0 libglib2.0-bin libglx-mesa0 libgtk-4-1 libgtk-4-common libjson-glib-1.0-0
  libpcre2-8-0 librsvg2-common libsecret-1-0 libsoup-3.0-0 libssl3 libsystemd0 libzstd1
  shared-mime-info xkb-data
)
# The SDK is the platform plus the toolchain, Meson, the -dev packages, and the tools
# flatpak-builder runs in it (eu-strip from elfutils, appstream-compose from appstream-util) and
# our validation tests use. CMake and g++ build the manifest's libmosquitto (its CMake project
# asks for a C++ compiler even when only the C library is built), libssl-dev it and libpq; the
# GNOME SDK has all three.
sdk_packages=(
  appstream appstream-util binutils cmake desktop-file-utils elfutils g++ gcc gettext
  libadwaita-1-dev libc6-dev libpcre2-dev libssl-dev libsystemd-dev libzstd-dev
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libjson-glib-dev libsecret-1-dev
  libsoup-3.0-dev libxml2-utils
  make meson ninja-build pkgconf python3
)

# Bump when the way the trees are made changes; the package lists count by themselves.
layout_version=3
key=$(echo "$layout_version ${platform_packages[*]} / ${sdk_packages[*]}" | sha256sum | cut -c1-16)
stamp=$cache/standin.stamp

installed () {
  flatpak --user info "org.gnome.Platform/$arch/$branch" >/dev/null 2>&1 &&
    flatpak --user info "org.gnome.Sdk/$arch/$branch" >/dev/null 2>&1
}

if [[ -f $stamp && $(cat "$stamp") == "$key" ]] && installed; then
  echo "stand-in runtime: up to date ($key)"
  exit 0
fi

# The Debian archive apt uses here (a local mirror or proxy if the machine has one), and its
# security archive if apt has one.
apt_uris () {
  cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
    awk -v want="$1" '/^URIs:/ { u = $2 } /^Suites:/ && u != "" { for (i = 2; i <= NF; i++) if ($i == want) { print u; exit } }' || true
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk -v want="$1" '$1 == "deb" { for (i = 2; i < NF; i++) if ($i ~ /^[a-z]+:/ && $(i + 1) == want) { print $i; exit } }' || true
}
mirror=${FW_DEBIAN_MIRROR:-$(apt_uris bookworm | head -1)}
mirror=${mirror:-http://deb.debian.org/debian}
security=$(apt_uris bookworm-security | head -1)
echo "stand-in runtime: building from $mirror ${security:+and $security}"

roots=$cache/roots
cleanup_mounts () {
  local m
  for m in $(awk -v r="$roots/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
    umount -l "$m" || true
  done
}
trap cleanup_mounts EXIT
cleanup_mounts
rm -rf "$roots"
mkdir -p "$roots" "$cache/debs/partial"

# apt-get inside a tree, with the shared package cache; dpkg skips fsync (a throwaway tree).
chroot_apt () {
  local root=$1; shift
  mount -t proc proc "$root/proc"
  mount --bind /dev "$root/dev"
  mount --bind "$cache/debs" "$root/var/cache/apt/archives"
  DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get "$@" || { cleanup_mounts; return 1; }
  cleanup_mounts
}

# debootstrap lays the minimal base (its own resolver is too weak for the GTK stack); apt in
# a chroot installs the rest. bootstrap NAME FROM PACKAGES...: a copy of tree FROM plus PACKAGES.
bootstrap () {
  local root=$roots/$1 from=$roots/$2; shift 2
  if [[ ! -d $roots/base ]]; then
    debootstrap --variant=minbase --merged-usr --cache-dir="$cache/debs" \
      bookworm "$roots/base" "$mirror" >"$roots/base.log" 2>&1 ||
      { tail -30 "$roots/base.log"; echo "debootstrap failed"; exit 1; }
    {
      echo "deb $mirror bookworm main"
      echo "deb $mirror bookworm-updates main"
      [[ -z $security ]] || echo "deb $security bookworm-security main"
    } >"$roots/base/etc/apt/sources.list"
    echo force-unsafe-io >"$roots/base/etc/dpkg/dpkg.cfg.d/unsafe-io"
    printf 'APT::Install-Recommends "false";\nAPT::Keep-Downloaded-Packages "true";\n' \
      >"$roots/base/etc/apt/apt.conf.d/90standin"
    chroot_apt "$roots/base" -q update >"$roots/update.log" 2>&1 ||
      { tail -30 "$roots/update.log"; echo "apt-get update failed"; exit 1; }
  fi
  cp -a "$from" "$root"
  chroot_apt "$root" -q -y install "$@" >"$root.log" 2>&1 ||
    { tail -30 "$root.log"; echo "apt-get install in $root failed"; exit 1; }
}

# Turn a debootstrapped tree into a runtime build dir: usr/ (with etc/ moved into usr/etc,
# which Flatpak maps to /etc), an empty files/ and the metadata.
make_runtime_dir () {
  local root=$1 out=$2 name=$3
  rm -rf "$out"
  mkdir -p "$out/files"
  mv "$root/usr" "$out/usr"
  mv "$root/etc" "$out/usr/etc"
  local u=$out/usr
  # Relative links that pointed from /etc into /usr break once etc sits inside usr.
  find "$u/etc" -type l -lname '../usr/*' -print0 | while IFS= read -r -d '' l; do
    local t
    t=$(readlink "$l"); ln -sfn "../${t#../usr/}" "$l"
  done
  # Flatpak rebuilds the per-app ld.so.cache only when the runtime has bin/ldconfig, and the
  # cache must cover /app/lib (the manifest's libpq and libmosquitto). Its ldconfig sees the
  # runtime's ld.so.conf but not ld.so.conf.d, so the app's folders go in ld.so.conf itself.
  [[ -e $u/bin/ldconfig ]] || ln -s ../sbin/ldconfig "$u/bin/ldconfig"
  {
    printf 'include /run/flatpak/ld.so.conf.d/app-*.conf\n/app/lib\n/app/lib/%s\n' \
      "$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)"
    cat "$u/etc/ld.so.conf"
  } >"$u/etc/ld.so.conf.new"
  mv "$u/etc/ld.so.conf.new" "$u/etc/ld.so.conf"
  # The GNOME runtime has flatpak-spawn (for host commands) in PATH; Debian hides it in libexec.
  if [[ -e $u/libexec/flatpak-xdg-utils/flatpak-spawn && ! -e $u/bin/flatpak-spawn ]]; then
    ln -s ../libexec/flatpak-xdg-utils/flatpak-spawn "$u/bin/flatpak-spawn"
  fi
  # The sandbox is not for setuid tricks, and bare-user-only repositories refuse them.
  find "$u" \( -perm -4000 -o -perm -2000 \) -exec chmod ug-s {} +
  chmod -R u+rwX "$u"
  rm -rf "$u/share/doc" "$u/share/man" "$u/share/info" "$u/share/lintian" "$u/share/locale" \
    "$u/etc/apt" "$u/etc/dpkg"
  cat >"$out/metadata" <<EOF
[Runtime]
name=$name
runtime=org.gnome.Platform/$arch/$branch
sdk=org.gnome.Sdk/$arch/$branch
EOF
}

t0=$SECONDS
bootstrap platform base "${platform_packages[@]}"
bootstrap sdk platform "${sdk_packages[@]}"
rm -rf "$roots/base"
echo "stand-in runtime: debootstrap took $((SECONDS - t0)) s"

t0=$SECONDS
make_runtime_dir "$roots/platform" "$roots/platform-rt" org.gnome.Platform
make_runtime_dir "$roots/sdk" "$roots/sdk-rt" org.gnome.Sdk
rm -rf "$repo"
ostree init --repo="$repo" --mode=bare-user-only
# A throwaway repository: no fsync per object (export is several times faster without).
ostree config --repo="$repo" set core.fsync false
flatpak build-export --runtime --no-update-summary "$repo" "$roots/platform-rt" "$branch"
flatpak build-export --runtime --no-update-summary "$repo" "$roots/sdk-rt" "$branch"
flatpak build-update-repo "$repo"
echo "stand-in runtime: export took $((SECONDS - t0)) s"

cat >"$cache/standin.flatpakrepo" <<EOF
[Flatpak Repo]
Title=Feedwatch test stand-in for the GNOME runtime (Debian 12 based, testing only)
Url=file://$repo
EOF

t0=$SECONDS
flatpak --user remote-delete --force "$remote" >/dev/null 2>&1 || true
flatpak --user remote-add --no-gpg-verify "$remote" "file://$repo"
flatpak --user install -y --noninteractive --reinstall "$remote" \
  "org.gnome.Platform/$arch/$branch" "org.gnome.Sdk/$arch/$branch"
echo "stand-in runtime: install took $((SECONDS - t0)) s"

rm -rf "$roots"
echo "$key" >"$stamp"
