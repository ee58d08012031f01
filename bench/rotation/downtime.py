#!/usr/bin/env python3
"""Sandbox rotation budgets (DESIGN.md §8), measured on real processes.

Usage: python3 bench/rotation/downtime.py [runs=5]   (from the repository root, after building build/_build.csproj)

- whole run: wall time of `_build.dll Rotate --env sandbox` on a warm machine (the sandbox already exists);
- downtime: from the journal's Stop start to the app's PASS line in the startup log;
- the app alone: SIGTERM until its process is gone, plus launcher until its PASS line, without the pipeline;
- overhead = median downtime - (app stop alone + app start alone).
"""
import json, os, re, signal, socket, statistics, subprocess, sys, tempfile, time
from datetime import datetime

root = os.getcwd()
dll = os.path.join(root, "build", "bin", "Debug", "net10.0", "_build.dll")
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
deployment = os.path.join(tempfile.mkdtemp(prefix="robodj-bench-"), "sandbox")
with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
env = {k: v for k, v in os.environ.items() if not k.startswith("ROBODJ_")}
args = ["dotnet", dll, "Rotate", "--env", "sandbox", "--deployment-root", deployment, "--sandbox-port", str(port), "--verbosity", "quiet"]
log = os.path.join(deployment, "config", "logs", "startup_safety_events.jsonl")

def ts(text):
    text = re.sub(r"(\.\d{6})\d+", r"\1", text.replace("Z", "+00:00"))  # .NET writes 7 fraction digits
    return datetime.fromisoformat(text).timestamp()

def last_pass():
    with open(log, "rb") as f:
        lines = [json.loads(l) for l in f.read().decode().splitlines() if "integrity check: PASS" in l]
    return ts(lines[-1]["ts"])

def rotate():
    t = time.monotonic()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - t

rotate()  # creates the sandbox and warms the disk cache
walls, downtimes = [], []
for _ in range(runs):
    walls.append(rotate())
    journals = sorted(d for d in os.listdir(os.path.join(deployment, "config", "key_rotation")) if d[0].isdigit())
    with open(os.path.join(deployment, "config", "key_rotation", journals[-1], "journal.jsonl")) as f:
        entries = [json.loads(l) for l in f]
    stop = next(e for e in entries if e["step"] == "stop" and e["phase"] == "started")
    downtimes.append(last_pass() - ts(stop["at"]))

pid = int(open(os.path.join(deployment, "robodj.pid")).read())
t = time.monotonic(); os.kill(pid, signal.SIGTERM)
while os.path.exists(f"/proc/{pid}") and open(f"/proc/{pid}/stat").read().split()[2] != "Z": time.sleep(0.005)
stop_alone = time.monotonic() - t
before = os.path.getsize(log)
t = time.monotonic()
subprocess.Popen([os.path.join(deployment, "RoboDJ_Launcher.sh")], env=env, start_new_session=True,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
while True:
    with open(log, "rb") as f:
        f.seek(before)
        if b"integrity check: PASS" in f.read(): break
    time.sleep(0.005)
start_alone = time.monotonic() - t

median = statistics.median(downtimes)
print(f"runs: {runs}")
print(f"whole run (warm): median {statistics.median(walls):.2f} s, min {min(walls):.2f} s, max {max(walls):.2f} s")
print(f"downtime Stop start -> PASS: median {median:.2f} s")
print(f"app alone: stop {stop_alone:.2f} s + start to PASS {start_alone:.2f} s = {stop_alone + start_alone:.2f} s")
print(f"pipeline overhead on the downtime: {median - stop_alone - start_alone:.2f} s")
pid = int(open(os.path.join(deployment, "robodj.pid")).read())
os.kill(pid, signal.SIGTERM)
