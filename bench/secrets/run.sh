#!/usr/bin/env bash
# Secret scanning throughput, keyward beside ripgrep running the same patterns and secretlint
# (npm), on one generated corpus, in one run. Prints a Markdown table of MB/s and ratios.
# Usage: bench/secrets/run.sh [BUILD_DIR] [SIZE_MB]   (make bench runs it)
# Needs: ripgrep (apt), Node.js and npm for secretlint (installed under bench/node_modules).
# ripgrep runs in multiline mode (-U) because the private key rules span lines.
set -euo pipefail

build=${1:-build-bench}
size_mb=${2:-1024}
secretlint_mb=${SECRETLINT_MB:-64}
work=${KEYWARD_BENCH_DIR:-/tmp/keyward-bench}
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus="$work/corpus-$size_mb"
small="$work/corpus-$secretlint_mb"

mkdir -p "$work"
[ -d "$corpus" ] || "$build/bench/keyward-bench-corpus" "$corpus" "$size_mb"
[ -d "$small" ] || "$build/bench/keyward-bench-corpus" "$small" "$secretlint_mb"
"$build/keyward" rules secrets --patterns > "$work/patterns.txt"
bytes=$(du -sb "$corpus" | cut -f1)
small_bytes=$(du -sb "$small" | cut -f1)

# Best wall time of three runs, in seconds. The page cache is warmed by a first untimed run.
best_time() {
  "$@" > /dev/null 2>&1 || true
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

declare -a rows
add_row() {  # name, bytes, seconds
  local rate
  rate=$(mbps "$2" "$3")
  rows+=("$1|$rate")
}

add_row "keyward scan, 1 thread" "$bytes" "$(best_time "$build/keyward" scan --no-store --no-history --threads 1 --format json "$corpus")"
add_row "keyward scan, 2 threads" "$bytes" "$(best_time "$build/keyward" scan --no-store --no-history --threads 2 --format json "$corpus")"
if command -v rg > /dev/null; then
  if rg --no-config -U -c -f "$work/patterns.txt" "$root/README.md" > /dev/null 2> "$work/rg.err" || [ ! -s "$work/rg.err" ]; then
    add_row "ripgrep, same patterns, 1 thread" "$bytes" "$(best_time rg --no-config -U -c -j 1 -f "$work/patterns.txt" "$corpus")"
    add_row "ripgrep, same patterns, 2 threads" "$bytes" "$(best_time rg --no-config -U -c -j 2 -f "$work/patterns.txt" "$corpus")"
  else
    echo "ripgrep rejected the patterns: $(head -3 "$work/rg.err")" >&2
  fi
fi
if command -v npm > /dev/null; then
  if [ ! -x "$root/bench/node_modules/.bin/secretlint" ]; then
    (cd "$root/bench" && npm install --no-audit --no-fund --silent) >&2
  fi
  cat > "$work/.secretlintrc.json" <<'JSON'
{"rules": [{"id": "@secretlint/secretlint-rule-preset-recommend"}]}
JSON
  add_row "secretlint, recommended preset ($secretlint_mb MB corpus)" "$small_bytes" \
    "$(best_time "$root/bench/node_modules/.bin/secretlint" --secretlintrc "$work/.secretlintrc.json" "$small/**/*")"
fi

keyward_two=$(echo "${rows[1]}" | cut -d'|' -f2)
echo "| tool | MB/s | keyward (2 threads) is |"
echo "|---|---:|---:|"
for row in "${rows[@]}"; do
  name=${row%%|*}
  rate=${row##*|}
  echo "| $name | $rate | $(echo "scale=1; $keyward_two / $rate" | bc -l)x |"
done

if [ -x "$build/bench/keyward-bench-scan" ]; then
  echo
  echo "In-memory, one thread ($size_mb MB corpus):"
  KEYWARD_BENCH_CORPUS="$corpus" "$build/bench/keyward-bench-scan" --benchmark_format=console 2>&1 | grep -E "^(Vectorscan|Scanner|Pipeline)"
fi
