#!/usr/bin/env bash
# The phased rotation (./build.sh RotatePhased) next to three plain `docker service update --force` rolls of the same
# 3-replica service of the Python reference app, on the swarm of $DOCKER_HOST (a single-node swarm: .ci/run makes one).
# Usage: DOCKER_HOST=unix:///path/docker.sock bench/swarm/phased-vs-plain.sh
# Needs: the robodj-busybox:test image (.ci/prepare), /usr/bin/python3 with cryptography and dotenv.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
REPLICAS=3
SERVICE=robodj-bench-$RANDOM
PORT_BASE=$((20000 + RANDOM % 12000)) # below the ephemeral range (32768+)
ROOT=$(mktemp -d -t robodj-swarm-bench.XXXXXX)
PASSWORD=bench-$RANDOM$RANDOM
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
cleanup() {
    docker service rm "$SERVICE" >/dev/null 2>&1 || true
    for _ in $(seq 1 50); do [ -z "$(docker ps -aq --filter "label=com.docker.swarm.service.name=$SERVICE")" ] && break; sleep 0.3; done
    docker secret ls --format '{{.Name}}' --filter "label=com.robodj.key-rotation.service=$SERVICE" | xargs -r docker secret rm >/dev/null 2>&1 || true
    docker secret rm "${SERVICE}_initial_v1" "${SERVICE}_initial_v2" >/dev/null 2>&1 || true
    rm -rf "$ROOT"
}
trap cleanup EXIT

# The deployment: keys only ever go through files and stdin, never argv.
mkdir -p "$ROOT/config"
for slot in $(seq 1 $REPLICAS); do mkdir -p "$ROOT/config/logs/replica-$slot"; done
/usr/bin/python3 - "$ROOT" "$PASSWORD" <<'PY'
import json, os, sys
from cryptography.fernet import Fernet
root, password = sys.argv[1], sys.argv[2]
v1, v2 = Fernet.generate_key().decode(), Fernet.generate_key().decode()
with open(os.path.join(root, ".env"), "w") as f:
    f.write(f"ROBODJ_ENV=sandbox\nROBODJ_DASHBOARD_PASSWORD={password}\nROBODJ_SECRET_KEY={v1}\nROBODJ_SECRET_V2_KEY={v2}\n")
fields = [Fernet(v1).encrypt(f"v1-{i}".encode()).decode() for i in range(20)] + [Fernet(v2).encrypt(b"v2").decode()]
json.dump({"stations": [{"name": f"s{i}", "password": "enc:" + t} for i, t in enumerate(fields)]}, open(os.path.join(root, "config", "settings.json"), "w"), indent=2)
for name, key in (("v1", v1), ("v2", v2)):
    open(os.path.join(root, f".{name}"), "w").write(key)
PY
docker secret create "${SERVICE}_initial_v1" "$ROOT/.v1" >/dev/null
docker secret create "${SERVICE}_initial_v2" "$ROOT/.v2" >/dev/null
rm "$ROOT/.v1" "$ROOT/.v2"
# shellcheck disable=SC2016 # expanded by the container's sh
ENTRYPOINT='export ROBODJ_SECRET_KEY="$(cat /run/secrets/robodj_v1)" ROBODJ_SECRET_V2_KEY="$(cat /run/secrets/robodj_v2)" ROBODJ_DASHBOARD_URL="http://127.0.0.1:$((ROBODJ_PORT_BASE + ROBODJ_REPLICA_SLOT))"; exec /usr/bin/python3 /peer/robodj_reference_app.py --root /app --pid-file config/logs/robodj.pid'
docker service create --detach=false --quiet --name "$SERVICE" --replicas $REPLICAS --network host --init --stop-grace-period 5s \
    --update-parallelism 1 --update-order stop-first --update-delay 0s --update-monitor 1s --update-failure-action pause \
    --secret "source=${SERVICE}_initial_v1,target=robodj_v1" --secret "source=${SERVICE}_initial_v2,target=robodj_v2" \
    --mount type=bind,src=/usr,dst=/usr,ro --mount type=bind,src=/lib,dst=/lib,ro --mount type=bind,src=/lib64,dst=/lib64,ro \
    --mount "type=bind,src=$ROOT,dst=/app" --mount "type=bind,src=$ROOT/config/logs/replica-{{.Task.Slot}},dst=/app/config/logs" \
    --mount "type=bind,src=$REPO/tests/peers,dst=/peer,ro" \
    --env 'ROBODJ_REPLICA_SLOT={{.Task.Slot}}' --env "ROBODJ_PORT_BASE=$PORT_BASE" \
    robodj-busybox:test sh -c "$ENTRYPOINT" >/dev/null 2>&1 # a local image has no registry digest: swarm warns
for slot in $(seq 1 $REPLICAS); do
    for _ in $(seq 1 100); do grep -q 'check: PASS' "$ROOT/config/logs/replica-$slot/startup_safety_events.jsonl" 2>/dev/null && break; sleep 0.2; done
done
./build.sh --help >/dev/null # builds _build once, outside the timing
# A dry run first, outside the timing: it previews the phases and must leave the deployment as it was.
before=$(cd "$ROOT" && find . -type f -not -path './config/logs/*' -print0 | sort -z | xargs -0 sha256sum)
DASHBOARD_PASSWORD=$PASSWORD ./build.sh RotatePhased --env sandbox --deployment-root "$ROOT" --swarm-service "$SERVICE" \
    --swarm-dashboard-port-base "$PORT_BASE" --dry-run >"$ROOT/dry-run.log" 2>&1 || { tail -30 "$ROOT/dry-run.log"; exit 1; }
grep -q 'phase 1: would write' "$ROOT/dry-run.log" || { echo "the dry run previewed no phase"; tail -30 "$ROOT/dry-run.log"; exit 1; }
[ "$before" = "$(cd "$ROOT" && find . -type f -not -path './config/logs/*' -not -name dry-run.log -print0 | sort -z | xargs -0 sha256sum)" ] \
    || { echo "the dry run changed the deployment"; exit 1; }

start=$(now)
DASHBOARD_PASSWORD=$PASSWORD ./build.sh RotatePhased --env sandbox --deployment-root "$ROOT" --swarm-service "$SERVICE" \
    --swarm-dashboard-port-base "$PORT_BASE" --verbosity quiet >"$ROOT/rotate.log" 2>&1 || { tail -30 "$ROOT/rotate.log"; exit 1; }
phased=$(since "$start")

echo "| run | seconds |"
echo "|---|---:|"
# shellcheck disable=SC2016 # backticks are markdown
printf '| `./build.sh RotatePhased` (phases 0-3, two rollouts, every replica verified) | %s |\n' "$phased"
for i in 1 2 3; do
    start=$(now)
    docker service update --detach=false --quiet --force "$SERVICE" >/dev/null
    # shellcheck disable=SC2016
    printf '| plain `docker service update --force` roll %d | %s |\n' "$i" "$(since "$start")"
done
