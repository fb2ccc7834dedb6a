# SPDX-License-Identifier: GPL-3.0-or-later
# The Python peer of bench-sse.c: aiohttp reading the stream with the reference texts'
# sse_events loop (async-iterators-deep-dive.txt), until N events. Prints JSON.
import asyncio
import json
import sys
import time

import aiohttp

URL = sys.argv[1]
N = int(sys.argv[2])


def parse_sse(event_str):
    event = {"event": "message", "data": []}
    for line in event_str.split("\n"):
        field, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if field == "data":
            event["data"].append(value)
        elif field in ("event", "id"):
            event[field] = value
    event["data"] = "\n".join(event["data"])
    return event


async def sse_events(url):
    """Async iterator over server-sent events."""
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as response:
            buffer = ""
            async for chunk in response.content.iter_any():
                buffer += chunk.decode()
                while "\n\n" in buffer:
                    event_str, buffer = buffer.split("\n\n", 1)
                    yield parse_sse(event_str)


async def main():
    count = 0
    start = time.perf_counter()
    cpu = time.process_time()
    async for _ in sse_events(URL):
        count += 1
        if count == N:
            break
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    print(json.dumps({"events": count, "seconds": elapsed, "events_per_s": count / elapsed,
                      "cpu_seconds": cpu}))


asyncio.run(main())
