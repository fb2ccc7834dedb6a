# SPDX-License-Identifier: GPL-3.0-or-later
# The Python peers of bench-history.c: the same 80-character items kept in a
# collections.deque(maxlen) (the obvious Python ring), appended with and without a search test,
# and the resident memory per item with the deque full. Prints JSON.
import collections
import json
import os
import re
import subprocess
import sys
import time

N = 1_000_000
CAP = 100_000
LEVELS = ["info", "debug", "warning", "error"]


def make_item(i):
    text = "%010u %-69s" % (i, "request failed: error 503 from upstream backend, retrying in 2 s"
                            if i % 100 == 0 else
                            "GET /api/v1/items?page=42 200 OK 1532 bytes in 3.2 ms from 10.0.0.7")
    return (time.time(), "bench", LEVELS[i % 4], text[:80])


def resident():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def memory(n):
    before = resident()
    ring = collections.deque(maxlen=n)
    for i in range(n):
        ring.append(make_item(i))
    return (resident() - before) / n


def rate(items, test):
    ring = collections.deque(maxlen=CAP)
    matches = 0
    start = time.perf_counter()
    for item in items:
        ring.append(item)
        if test is not None and test(item[3]):
            matches += 1
    return len(items) / (time.perf_counter() - start)


if len(sys.argv) == 3 and sys.argv[1] == "--memory":
    print(memory(int(sys.argv[2])))
    sys.exit(0)

items = [make_item(i) for i in range(N)]
pattern = re.compile(r"error [0-9]+", re.IGNORECASE)
figures = {
    "append": rate(items, None),
    "append_search": rate(items, lambda t: "error 503" in t.lower()),
    "append_regex": rate(items, lambda t: pattern.search(t) is not None),
}
del items
for n, key in ((100_000, "bytes_100k"), (1_000_000, "bytes_1m")):
    out = subprocess.run([sys.executable, __file__, "--memory", str(n)], check=True,
                         capture_output=True, text=True).stdout
    figures[key] = float(out)
print(json.dumps(figures))
