"""Python's reference figure: MultiFernet([new, old]).rotate on the benchmark's 10,000 tokens (read from stdin as JSON)."""
import json
import sys
import time

from cryptography.fernet import Fernet, MultiFernet

data = json.load(sys.stdin)
multi = MultiFernet([Fernet(data["new"]), Fernet(data["old"])])
tokens = [t.encode() for t in data["tokens"]]
runs = []
for _ in range(5):
    start = time.perf_counter()
    for token in tokens:
        multi.rotate(token)
    runs.append(time.perf_counter() - start)
runs.sort()
print(f"python MultiFernet.rotate x{len(tokens)}: median {runs[2] * 1000:.1f} ms, min {runs[0] * 1000:.1f} ms (5 runs; rotate only, no file I/O)")
