#!/usr/bin/env bash
# Installs the Debian 12 packages keyward builds and tests with. Safe to run again: apt-get
# skips what is already installed. Needs root (CI and the development machines run as root).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libsimdjson-dev libdeflate-dev libsqlite3-dev libssl-dev
  libcli11-dev libspdlog-dev libfmt-dev nlohmann-json3-dev
  libre2-dev libmaxminddb-dev libyaml-cpp-dev libcurl4-openssl-dev
  libvectorscan-dev libgit2-dev libarchive-dev libcpp-httplib-dev
  libgtest-dev libgmock-dev
  libmaxmind-db-writer-perl
)

# `install-deps.sh bench` adds what `make bench` compares against and measures with.
if [ "${1:-}" = "bench" ]; then
  packages+=(libbenchmark-dev ripgrep bc)
  # Debian's npm conflicts with other Node.js builds: install it only when no npm is present.
  command -v npm > /dev/null || packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
echo "install-deps: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
