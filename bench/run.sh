#!/usr/bin/env bash
# Census + rewrap of 10,000 fields (C#, BenchmarkDotNet ShortRun) next to Python's MultiFernet.rotate on the same fields.
# Usage: bench/run.sh   (PYTHON=/usr/bin/python3 to pick the interpreter that has python3-cryptography)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/RoboDJ.Benchmarks -- --artifacts bench/artifacts "$@"
