#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages LAPOR Desk needs, only those missing.
#   scripts/install-deps.sh          what building and running the GUI needs
#   scripts/install-deps.sh --test   plus what the tests, screenshots and the
#                                    Windows cross-build need
set -euo pipefail

pkgs=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
      libxinerama-dev libxi-dev libxxf86vm-dev)
if [[ "${1:-}" == "--test" ]]; then
  pkgs+=(poppler-utils zbar-tools xvfb xauth imagemagick xdotool gcc-mingw-w64-x86-64 fonts-dejavu-core)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  echo "LAPOR Desk needs these packages (install them with your package manager): ${missing[*]}" >&2
  exit 1
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  sudo="sudo"
fi
echo "Installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
