#!/usr/bin/env bash
# ./build.sh RotateFleet over a local fleet of 3 desktop deployments of the Python reference app that share one config
# tree (shared/config, each host's config/ a link to it, each host its own .env, port and startup log), next to one
# plain restart of every host in turn (what a rollout costs without the pipeline). A --dry-run first, checked to
# change nothing. Usage: bench/fleet/rotate-fleet.sh   Needs: /usr/bin/python3 with cryptography and dotenv.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
HOSTS=3
PYTHON=/usr/bin/python3
PORT_BASE=$((20000 + RANDOM % 12000)) # below the ephemeral range (32768+)
ROOT=$(mktemp -d -t robodj-fleet-bench.XXXXXX)
PASSWORD=bench-$RANDOM$RANDOM
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
stop_host() { # by the pid the app wrote, never by name
    local pid_file="$ROOT/host-$1/robodj.pid"
    [ -f "$pid_file" ] || return 0
    local pid; pid=$(cat "$pid_file")
    kill "$pid" 2>/dev/null || true
    # The app removes its pid file on its way out (kill -0 would also see a zombie nobody reaped yet).
    for _ in $(seq 1 100); do [ -f "$pid_file" ] || break; sleep 0.05; done
}
passes() { cat "$ROOT/shared/config/logs/host-$1/startup_safety_events.jsonl" 2>/dev/null | grep -c 'check: PASS' || true; }
start_host() {
    local before; before=$(passes "$1")
    (cd "$ROOT/host-$1" && setsid ./RoboDJ_Launcher.sh >>launcher.log 2>&1 < /dev/null &)
    for _ in $(seq 1 200); do [ "$(passes "$1")" -gt "$before" ] && return 0; sleep 0.05; done
    echo "host-$1 did not start" >&2; exit 1
}
cleanup() { for n in $(seq 1 $HOSTS); do stop_host "$n"; done; rm -rf "$ROOT"; }
trap cleanup EXIT

# Keys only ever go through files, never argv.
mkdir -p "$ROOT/shared/config"
$PYTHON - "$ROOT" "$PASSWORD" "$HOSTS" "$PORT_BASE" <<'PY'
import json, os, sys
from cryptography.fernet import Fernet
root, password, hosts, base = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
v1, v2 = Fernet.generate_key().decode(), Fernet.generate_key().decode()
open(os.path.join(root, "shared", ".env"), "w").write(f"ROBODJ_ENV=sandbox\nROBODJ_SECRET_KEY={v1}\nROBODJ_SECRET_V2_KEY={v2}\n")
fields = [Fernet(v1).encrypt(f"v1-{i}".encode()).decode() for i in range(20)] + [Fernet(v2).encrypt(b"v2").decode()]
json.dump({"stations": [{"name": f"s{i}", "password": "enc:" + t} for i, t in enumerate(fields)]}, open(os.path.join(root, "shared", "config", "settings.json"), "w"), indent=2)
fleet = ["hosts:"]
for n in range(1, hosts + 1):
    host = os.path.join(root, f"host-{n}")
    os.makedirs(os.path.join(root, "shared", "config", "logs", f"host-{n}"))
    os.makedirs(host)
    os.symlink(os.path.join(root, "shared", "config"), os.path.join(host, "config"))
    open(os.path.join(host, ".env"), "w").write(
        f"ROBODJ_ENV=sandbox\nROBODJ_SECRET_KEY={v1}\nROBODJ_SECRET_V2_KEY={v2}\nROBODJ_DASHBOARD_URL=http://127.0.0.1:{base + n}\nROBODJ_DASHBOARD_PASSWORD={password}\n")
    fleet += [f"  - name: host-{n}", f"    runner: robodj-host-{n}", f"    root: host-{n}", f"    dashboard: http://127.0.0.1:{base + n}/",
              f"    startup_log: config/logs/host-{n}/startup_safety_events.jsonl", "    launcher: RoboDJ_Launcher.sh",
              f"    process_name: robodj-fleet-bench-{n}", "    pid_file: robodj.pid", "    launcher_log: launcher.log"]
open(os.path.join(root, "fleet.yaml"), "w").write("\n".join(fleet) + "\n")
PY
for n in $(seq 1 $HOSTS); do
    printf '#!/bin/bash\nexec -a robodj-fleet-bench-%s %s %s --root %s --pid-file robodj.pid --startup-log config/logs/host-%s/startup_safety_events.jsonl\n' \
        "$n" "$PYTHON" "$REPO/tests/peers/robodj_reference_app.py" "$ROOT/host-$n" "$n" > "$ROOT/host-$n/RoboDJ_Launcher.sh"
    chmod +x "$ROOT/host-$n/RoboDJ_Launcher.sh"
    start_host "$n"
done

args=(RotateFleet --env sandbox --deployment-root "$ROOT/shared" --fleet "$ROOT/fleet.yaml")
./build.sh --help >/dev/null # the bootstrap's build, outside the timings
before=$(cd "$ROOT" && find . -path ./shared/config/logs -prune -o -type f -print0 | sort -z | xargs -0 sha256sum)
t=$(now); DASHBOARD_PASSWORD=$PASSWORD ./build.sh "${args[@]}" --dry-run >/dev/null; dry=$(since "$t")
after=$(cd "$ROOT" && find . -path ./shared/config/logs -prune -o -type f -print0 | sort -z | xargs -0 sha256sum)
[ "$before" = "$after" ] || { echo "the dry run changed the fleet" >&2; exit 1; }
t=$(now); DASHBOARD_PASSWORD=$PASSWORD ./build.sh "${args[@]}" >/dev/null; phased=$(since "$t")
t=$(now); for n in $(seq 1 $HOSTS); do stop_host "$n"; start_host "$n"; done; plain=$(since "$t")
echo "RotateFleet --dry-run: $dry s"
echo "RotateFleet ($HOSTS hosts, phases 0-3, two rollouts, every host verified): $phased s"
echo "one plain restart of every host in turn: $plain s"
