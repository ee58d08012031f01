#!/usr/bin/env bash
# Census + rewrap of one config file of 10k, 100k and 1M fields: time, peak memory, and the ratio to Python's
# MultiFernet.rotate over the same tokens, each pair measured in this one run (the machine is shared and noisy).
# Usage: bench/scale.sh [work dir=$TMPDIR/robodj-scale] [sizes="10000 100000 1000000"] [runs=3]
# Inputs are generated once per size under the work dir and reused. PYTHON picks the interpreter (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-}
work=${work:-${TMPDIR:-/tmp}/robodj-scale}
sizes=${2:-"10000 100000 1000000"}
runs=${3:-3}
python=${PYTHON:-python3}
dotnet build -c Release bench/ScaleBench -v q -nologo >/dev/null
bench=bench/ScaleBench/bin/Release/net10.0/ScaleBench.dll
mkdir -p "$work"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $sizes; do
  dir="$work/$n"
  [[ -f "$dir/tokens.txt" ]] || dotnet "$bench" generate "$dir" "$n"
  py=$("$python" bench/multifernet_rotate_tokens.py "$dir" "$(( n >= 1000000 ? 1 : 3 ))")
  for ((r = 1; r <= runs; r++)); do
    rss=$( { /usr/bin/time -v dotnet "$bench" run "$dir" >"$dir/run.json"; } 2>&1 | awk -F': ' '/Maximum resident set size/ {print $2}')
    echo "fields=$n run=$r csharp=$(cat "$dir/run.json") peak_rss_kb=$rss python=$py"
  done
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
