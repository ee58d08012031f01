#!/usr/bin/env python3
"""Outage (Stop's start to Verify's success) of a whole sandbox rotation with one extra config file of N fields.

Usage: python3 bench/rotation/outage_by_size.py N [N ...]   (repository root, after building build/_build.csproj)

For each N: a fresh sandbox (first rotation, not timed), then config/bench_extra.json with N api_tokens under the
sandbox's current V1 (read from its .env, never printed), then one timed `_build.dll Rotate --env sandbox`. The figures
come from the run's CLEF log (.nuke/temp/logs/): "Target Stop starting" to "Target Verify succeeded", and each target's
own duration. Prints one JSON line per N.
"""
import glob, json, os, re, socket, subprocess, sys, tempfile, time
from datetime import datetime

from cryptography.fernet import Fernet
from dotenv import dotenv_values

root = os.getcwd()
dll = os.path.join(root, "build", "bin", "Debug", "net10.0", "_build.dll")
logs = os.path.join(root, ".nuke", "temp", "logs")
env = {k: v for k, v in os.environ.items() if not k.startswith("ROBODJ_")}

def ts(text):
    text = re.sub(r"(\.\d{6})\d+", r"\1", text.replace("Z", "+00:00"))  # .NET writes 7 fraction digits
    return datetime.fromisoformat(text).timestamp()

def rotate(deployment, port):
    args = ["dotnet", dll, "Rotate", "--env", "sandbox", "--deployment-root", deployment, "--sandbox-port", str(port), "--verbosity", "quiet"]
    before = set(glob.glob(os.path.join(logs, "*.clef")))
    t = time.monotonic()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.monotonic() - t
    (clef,) = set(glob.glob(os.path.join(logs, "*.clef"))) - before
    with open(clef) as f:
        events = [json.loads(l) for l in f if l.strip()]
    return wall, events

def at(events, target, what):
    return next(ts(e["@t"]) for e in events if e.get("@mt", "").startswith(f"Target {{Target}} {what}") and e.get("Target") == target)

def durations(events):
    return {e["Target"]: e["DurationMs"] / 1000 for e in events if e.get("@mt", "").startswith("Target {Target} succeeded")}

for n in map(int, sys.argv[1:]):
    deployment = os.path.join(tempfile.mkdtemp(prefix=f"robodj-outage-{n}-"), "sandbox")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
    rotate(deployment, port)  # creates the sandbox
    v1 = Fernet(dotenv_values(os.path.join(deployment, ".env"))["ROBODJ_SECRET_KEY"])
    extra = os.path.join(deployment, "config", "bench_extra.json")
    with open(extra, "w") as f:
        f.write('{\n  "stations": [\n')
        for i in range(n):
            token = v1.encrypt_at_time(f"tok-{i:07d}".encode(), 1700000000).decode()
            f.write(f'    {{"name": "station {i}", "api_token": "enc:{token}", "enabled": true}}{"," if i + 1 < n else ""}\n')
        f.write("  ]\n}\n")
    wall, events = rotate(deployment, port)
    outage = at(events, "Verify", "succeeded") - at(events, "Stop", "starting")
    steps = durations(events)
    print(json.dumps({"fields": n, "file_bytes": os.path.getsize(extra), "outage_s": round(outage, 2), "whole_run_s": round(wall, 2),
                      **{f"{k}_s": round(v, 2) for k, v in steps.items() if k in ("Preflight", "Snapshot", "Stop", "Rotate", "Start", "Verify")}}))
    pid = int(open(os.path.join(deployment, "robodj.pid")).read())
    try: os.kill(pid, 15)
    except ProcessLookupError: pass
