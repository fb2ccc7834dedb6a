# SPDX-License-Identifier: GPL-3.0-or-later
# The Python asyncio peers of bench-combinators.c, written as the reference text
# (async-iterators-deep-dive.txt) writes them: merge_iterators (an asyncio.Queue fed by one
# task per input in a TaskGroup), BackpressuredStream (an asyncio.Queue(maxsize) between a
# producer task and the consumer), and asyncio.to_thread once per item. Prints JSON.
import asyncio
import json
import sys
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
N_THREAD = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
CAPACITY = int(sys.argv[3]) if len(sys.argv) > 3 else 256
RUNS = 3
ITEMS = [{"feed": "bench", "kind": "line", "text": str(i)} for i in range(N)]


async def source(items):
    for item in items:
        yield item


async def merge_iterators(*aiters):
    """Yield items from multiple async iterators as they become available."""
    queue = asyncio.Queue()
    sentinel = object()
    active = len(aiters)

    async def feed(aiter):
        nonlocal active
        async for item in aiter:
            await queue.put(item)
        active -= 1
        if active == 0:
            await queue.put(sentinel)

    async with asyncio.TaskGroup() as tg:
        for aiter in aiters:
            tg.create_task(feed(aiter))

        while True:
            item = await queue.get()
            if item is sentinel:
                break
            yield item


class BackpressuredStream:
    def __init__(self, source, max_pending=10):
        self.source = source
        self.semaphore = asyncio.Semaphore(max_pending)
        self.queue = asyncio.Queue(maxsize=max_pending)
        self._producer_task = None

    def __aiter__(self):
        self._producer_task = asyncio.create_task(self._produce())
        return self

    async def _produce(self):
        try:
            async for item in self.source:
                await self.queue.put(item)  # Blocks when queue is full
            await self.queue.put(None)  # Sentinel
        except asyncio.CancelledError:
            await self.queue.put(None)

    async def __anext__(self):
        item = await self.queue.get()
        if item is None:
            if self._producer_task and not self._producer_task.done():
                self._producer_task.cancel()
            raise StopAsyncIteration
        return item


async def rate(make, n):
    count = 0
    start = time.perf_counter()
    async for _ in make():
        count += 1
    elapsed = time.perf_counter() - start
    assert count == n, (count, n)
    return n / elapsed


async def to_thread_rate(n):
    position = 0

    def blocking_next():
        nonlocal position
        if position >= n:
            return None
        item = ITEMS[position]
        position += 1
        return item

    count = 0
    start = time.perf_counter()
    while (await asyncio.to_thread(blocking_next)) is not None:
        count += 1
    elapsed = time.perf_counter() - start
    assert count == n
    return n / elapsed


async def main():
    quarter = N // 4
    parts = [ITEMS[i * quarter:(i + 1) * quarter] for i in range(4)]

    def merged():
        return merge_iterators(*(source(p) for p in parts))

    def backpressured():
        return BackpressuredStream(source(ITEMS), max_pending=CAPACITY)

    merge = max([await rate(merged, quarter * 4) for _ in range(RUNS)])
    channel = max([await rate(backpressured, N) for _ in range(RUNS)])
    thread = max([await to_thread_rate(N_THREAD) for _ in range(RUNS)])
    print(json.dumps({"merge": merge, "backpressured": channel, "to_thread": thread}))


asyncio.run(main())
