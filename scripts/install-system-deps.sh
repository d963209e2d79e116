#!/usr/bin/env bash
# System packages the project needs beyond PyPI: fonts the virtual phone renders with
# (Roboto as on Android, DejaVu for the symbols Roboto lacks, WenQuanYi Micro Hei for CJK)
# and the libraries Qt needs to run offscreen. Installs only what is missing; needs root
# (or sudo) to install.
set -euo pipefail
packages=(fonts-roboto-unhinted fonts-dejavu-core fonts-wqy-microhei libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3)
command -v dpkg-query >/dev/null 2>&1 || { echo "install-system-deps: not a Debian-like system; install ${packages[*]} (or equivalents) yourself" >&2; exit 0; }
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
  echo "install-system-deps: please install: ${missing[*]}" >&2; exit 1
fi
echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
