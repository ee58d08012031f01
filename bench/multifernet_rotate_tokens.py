"""Python's reference for bench/scale.sh: MultiFernet([new, old]).rotate over every token of a generated config.

Usage: python3 bench/multifernet_rotate_tokens.py <dir> [runs=1]   (<dir> from `ScaleBench generate`: keys.json, tokens.txt)
Prints one JSON line; rotate only, no JSON parsing and no file writes, the most favourable terms for python.
"""
import json
import os
import statistics
import sys
import time

from cryptography.fernet import Fernet, MultiFernet

folder = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
with open(os.path.join(folder, "keys.json")) as f:
    keys = json.load(f)
multi = MultiFernet([Fernet(keys["new"]), Fernet(keys["old"])])
with open(os.path.join(folder, "tokens.txt"), "rb") as f:
    tokens = f.read().split()
times = []
for _ in range(runs):
    start = time.perf_counter()
    for token in tokens:
        multi.rotate(token)
    times.append(time.perf_counter() - start)
print(json.dumps({"tokens": len(tokens), "rotate_s": round(statistics.median(times), 3), "runs": runs}))
