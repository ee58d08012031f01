#!/usr/bin/env bash
# Warm start of the bootstrap (DESIGN.md §8): `./build.sh --help` with no source changed, next to what NUKE's
# bootstrap does on every run (`dotnet build` of the build project, then run it), measured in one hyperfine run.
# Usage: bench/bootstrap/warm-start.sh [runs]   (needs hyperfine: apt-get install hyperfine)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
runs=${1:-20}
./build.sh --help >/dev/null   # make sure the build program is current, so the first command measures the warm path
hyperfine --warmup 3 --runs "$runs" --export-markdown .nuke/temp/warm-start.md \
    --command-name 'warm: ./build.sh --help' './build.sh --help' \
    --command-name 'NUKE-style: dotnet build, then run' \
    'dotnet build build/_build.csproj --nologo -v quiet -o .nuke/temp/bin && dotnet .nuke/temp/bin/_build.dll --help'
cat .nuke/temp/warm-start.md
