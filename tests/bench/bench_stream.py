# SPDX-License-Identifier: GPL-3.0-or-later
# The Python asyncio peers of bench-stream.c: the same item count through `async for` over an
# async generator, with and without a pass through the event loop per item. Prints JSON.
import asyncio
import json
import sys
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
ITEMS = [{"feed": "bench", "kind": "line", "text": str(i)} for i in range(N)]


async def plain():
    for item in ITEMS:
        yield item


async def through_loop():
    for item in ITEMS:
        await asyncio.sleep(0)
        yield item


async def consume(gen):
    count = 0
    start = time.perf_counter()
    async for _ in gen:
        count += 1
    elapsed = time.perf_counter() - start
    assert count == N
    return N / elapsed


async def main():
    best_plain = max([await consume(plain()) for _ in range(3)])
    best_loop = max([await consume(through_loop()) for _ in range(3)])
    print(json.dumps({"async_for": best_plain, "sleep0": best_loop}))


asyncio.run(main())
