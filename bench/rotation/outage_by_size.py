#!/usr/bin/env python3
"""Outage (the app stops to its PASS) of a whole sandbox rotation with one extra config file of N fields.

Usage: python3 bench/rotation/outage_by_size.py N [N ...]   (repository root, after building build/_build.csproj)

For each N: a fresh sandbox (first rotation, not timed), then config/bench_extra.json with N api_tokens under the
sandbox's current V1 (read from its .env, never printed), then one timed `_build.dll Rotate --env sandbox`. The figures
come from the run's CLEF log (.nuke/temp/logs/): "Target Stop starting" to "Target Verify succeeded", and each target's
own duration. The outage runs from the journal's "stop started" line (the app's own config save before it runs while
the app serves) to the "Startup log:" event logged when the PASS line is found; "to_verify_s" runs on to the end of
Verify (its config save and census run while the app serves again). "pipeline_s" is the pipeline's own part (the
journal's "stop started" to "start ended": stop, key write, any offline rewrap, launch); "app_start_to_pass_s" is the
app's own startup check until it logs PASS. "app_stop_s" is the journal's stop step (the app's own exit after SIGTERM,
and our wait for it); "pipeline_after_stop_s" is the rest of the pipeline's part ("stop ended" to "start ended"), the
part DESIGN.md §8 counts as overhead once the app's own stop and start are taken out. Extra arguments after "--" go to the build (e.g.
-- --rewrap-by offline). Prints one JSON line per N.
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

extra_args = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
sizes = sys.argv[1:sys.argv.index("--")] if "--" in sys.argv else sys.argv[1:]

def rotate(deployment, port, extra=()):
    args = ["dotnet", dll, "Rotate", "--env", "sandbox", "--deployment-root", deployment, "--sandbox-port", str(port), "--verbosity", "quiet", *extra]
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

def journal_at(deployment, step, phase):
    (journal,) = sorted(glob.glob(os.path.join(deployment, "key_rotation", "*", "journal.jsonl")))[-1:]
    with open(journal) as f:
        return next(ts(e["at"]) for e in map(json.loads, filter(str.strip, f)) if e["step"] == step and e["phase"] == phase)

def pass_at(events):
    return next(ts(e["@t"]) for e in events if e.get("@mt", "").startswith("Startup log: "))

def durations(events):
    return {e["Target"]: e["DurationMs"] / 1000 for e in events if e.get("@mt", "").startswith("Target {Target} succeeded")}

for n in map(int, sizes):
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
    wall, events = rotate(deployment, port, extra_args)
    stopped = journal_at(deployment, "stop", "started")
    app_stopped = journal_at(deployment, "stop", "ended")
    launched = journal_at(deployment, "start", "ended")
    outage = pass_at(events) - stopped
    to_verify = at(events, "Verify", "succeeded") - stopped
    steps = durations(events)
    print(json.dumps({"fields": n, "file_bytes": os.path.getsize(extra), "outage_s": round(outage, 2), "pipeline_s": round(launched - stopped, 2), "app_start_to_pass_s": round(outage - (launched - stopped), 2),
                      "app_stop_s": round(app_stopped - stopped, 2), "pipeline_after_stop_s": round(launched - app_stopped, 2),
                      "to_verify_s": round(to_verify, 2), "whole_run_s": round(wall, 2),
                      **{f"{k}_s": round(v, 2) for k, v in steps.items() if k in ("Preflight", "Snapshot", "Stop", "Rotate", "Start", "Verify")}}))
    pid = int(open(os.path.join(deployment, "robodj.pid")).read())
    try: os.kill(pid, 15)
    except ProcessLookupError: pass
