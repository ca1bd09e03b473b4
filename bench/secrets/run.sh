#!/usr/bin/env bash
# Secret scanning throughput, keyward beside ripgrep running the same patterns and secretlint
# (npm), in one run. Prints Markdown tables of MB/s and ratios for two corpora:
#   generated  keyward-bench-corpus output: code and configuration dense with secret-like names,
#              base64 integrity hashes and hex ids, with one rule example planted per 256 KiB
#   source     real source code already on a Debian machine: /usr/include and the Python 3
#              standard library without its compiled caches, copied once
# Usage: bench/secrets/run.sh [BUILD_DIR] [SIZE_MB]   (make bench runs it)
# Needs: ripgrep (apt), Node.js and npm for secretlint (installed under bench/node_modules).
# ripgrep runs in multiline mode (-U) because the private key rules span lines.
set -euo pipefail

build=$(cd "${1:-build-bench}" && pwd)
size_mb=${2:-1024}
secretlint_mb=${SECRETLINT_MB:-64}
work=${KEYWARD_BENCH_DIR:-/tmp/keyward-bench}
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus="$work/corpus-$size_mb"
small="$work/corpus-$secretlint_mb"
source_tree="$work/corpus-source"

mkdir -p "$work"
[ -d "$corpus" ] || "$build/bench/keyward-bench-corpus" "$corpus" "$size_mb"
[ -d "$small" ] || "$build/bench/keyward-bench-corpus" "$small" "$secretlint_mb"
if [ ! -d "$source_tree" ]; then
  mkdir -p "$source_tree.tmp"
  for dir in /usr/include /usr/lib/python3.11 /usr/lib/python3; do
    [ -d "$dir" ] && cp -r "$dir" "$source_tree.tmp/$(echo "$dir" | tr / _)"
  done
  # Compiled Python caches are binary; the corpus is source text.
  find "$source_tree.tmp" -name '__pycache__' -prune -exec rm -rf {} +
  mv "$source_tree.tmp" "$source_tree"
fi
"$build/keyward" rules secrets --patterns > "$work/patterns.txt"

# Runs a command once and fails the benchmark unless it exits with one of the allowed codes
# (scanners exit non-zero when they find something) and prints at least one line.
check_run() {  # allowed_codes (comma list), command...
  local allowed=$1
  shift
  local status=0
  "$@" > "$work/check.out" 2> "$work/check.err" || status=$?
  if [[ ",$allowed," != *",$status,"* ]] || [ ! -s "$work/check.out" ]; then
    echo "benchmark command failed (exit $status): $*" >&2
    head -5 "$work/check.err" >&2
    return 1
  fi
}

# Best wall time of three runs, in seconds, after the checked run warmed the page cache.
best_time() {
  local best=""
  for _ in 1 2 3; do
    local start end elapsed
    start=$(date +%s.%N)
    "$@" > /dev/null 2>&1 || true
    end=$(date +%s.%N)
    elapsed=$(echo "$end - $start" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$elapsed < $best" | bc -l)" = 1 ]; then best=$elapsed; fi
  done
  echo "$best"
}

mbps() { echo "scale=1; $1 / 1000000 / $2" | bc -l; }

# secretlint resolves its glob against the working directory and rejects absolute paths.
secretlint_in() {  # directory
  cd "$1" && "$root/bench/node_modules/.bin/secretlint" --secretlintrc "$work/.secretlintrc.json" --format json '**/*'
}

rows=()
add_row() {  # name, bytes, allowed exit codes, command...
  local name=$1 bytes=$2 allowed=$3
  shift 3
  if check_run "$allowed" "$@"; then
    rows+=("$name|$(mbps "$bytes" "$(best_time "$@")")")
  else
    rows+=("$name (failed, see stderr)|0")
  fi
}

print_table() {  # title
  local keyward_two
  keyward_two=$(echo "${rows[1]}" | cut -d'|' -f2)
  echo
  echo "$1"
  echo
  echo "| tool | MB/s | keyward (2 threads) is |"
  echo "|---|---:|---:|"
  for row in "${rows[@]}"; do
    local name=${row%%|*} rate=${row##*|}
    if [ "$rate" = 0 ]; then
      echo "| $name | - | - |"
    else
      echo "| $name | $rate | $(echo "scale=1; $keyward_two / $rate" | bc -l)x |"
    fi
  done
}

if command -v npm > /dev/null && [ ! -x "$root/bench/node_modules/.bin/secretlint" ]; then
  (cd "$root/bench" && npm install --no-audit --no-fund --silent) >&2
fi
cat > "$work/.secretlintrc.json" <<'JSON'
{"rules": [{"id": "@secretlint/secretlint-rule-preset-recommend"}]}
JSON

bench_corpus() {  # title, directory, directory for secretlint
  local title=$1 dir=$2 secretlint_dir=$3
  local bytes secretlint_bytes
  bytes=$(du -sb "$dir" | cut -f1)
  secretlint_bytes=$(du -sb "$secretlint_dir" | cut -f1)
  rows=()
  add_row "keyward scan, 1 thread" "$bytes" 0,3 \
    "$build/keyward" scan --no-store --no-history --threads 1 --format json "$dir"
  add_row "keyward scan, 2 threads" "$bytes" 0,3 \
    "$build/keyward" scan --no-store --no-history --threads 2 --format json "$dir"
  if command -v rg > /dev/null; then
    add_row "ripgrep, same patterns, 1 thread" "$bytes" 0,1 rg --no-config -U -c -j 1 -f "$work/patterns.txt" "$dir"
    add_row "ripgrep, same patterns, 2 threads" "$bytes" 0,1 rg --no-config -U -c -j 2 -f "$work/patterns.txt" "$dir"
  fi
  if [ -x "$root/bench/node_modules/.bin/secretlint" ]; then
    add_row "secretlint, recommended preset ($((secretlint_bytes / 1000000)) MB)" "$secretlint_bytes" 0,1 \
      secretlint_in "$secretlint_dir"
  fi
  print_table "$title ($((bytes / 1000000)) MB):"
}

bench_corpus "Generated corpus" "$corpus" "$small"
bench_corpus "Source code corpus" "$source_tree" "$source_tree/_usr_include"

if [ -x "$build/bench/keyward-bench-scan" ]; then
  for dir in "$corpus" "$source_tree"; do
    echo
    echo "In memory, one thread ($(basename "$dir")):"
    KEYWARD_BENCH_CORPUS="$dir" "$build/bench/keyward-bench-scan" --benchmark_format=console 2>&1 |
      grep -E "^(Vectorscan|Scanner|Pipeline)"
  done
fi
