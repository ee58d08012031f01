#!/usr/bin/env bash
# Times stop+start of a 3-service busybox compose project through DockerComposeRuntime against the same
# `docker-compose down` / `up -d` run by hand, alternating in one process. Needs DOCKER_HOST (or the default
# socket) and the image robodj-busybox:test (the tests create it). Usage: bench/runtimes/stop-start.sh [iterations]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
iterations="${1:-5}"
dir="$(mktemp -d)"
project="robodjbench$$"
trap 'rm -rf "$dir"' EXIT

printf 'ROBODJ_SECRET_KEY=bench-not-a-key\n' > "$dir/.env"
{
  echo 'version: "2.4"'
  echo 'services:'
  for s in web worker scheduler; do
    cat <<YAML
  $s:
    image: robodj-busybox:test
    init: true
    network_mode: none
    env_file: .env
    command: ["sleep", "3600"]
YAML
  done
} > "$dir/docker-compose.yaml"

dotnet build -c Release -v q -nologo "$here/StopStartBench" >/dev/null
dotnet "$here/StopStartBench/bin/Release/net10.0/StopStartBench.dll" "$dir" "$project" "$iterations"
