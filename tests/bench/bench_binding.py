# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Python binding (bindings/python) beside the reference texts' aiohttp consumer and
Feedwatch's own C consumer, in one run: N small events from bench-sse-server over loopback.
Events per second, and the CPU time each consumer's process spends an event, which a machine
busy with other work disturbs far less than the rates.

Run by run-bench.sh with GI_TYPELIB_PATH, LD_LIBRARY_PATH and PYTHONPATH set to the bench build."""
import asyncio
import json
import os
import re
import subprocess
import sys
import time

import gi
gi.require_version('Feedwatch', '0')
from gi.repository import Feedwatch  # noqa: E402

N = 1_000_000
BUILD = os.environ['FW_BENCH_BUILD']
SRC = os.environ['FW_BENCH_SRC']


async def items(url):
    count = 0
    async for item in Feedwatch.open('sse:' + url, once=True):
        count += item.get_kind() == Feedwatch.ItemKind.EVENT
    return count


async def batches(url):
    count = 0
    async for batch in Feedwatch.open('sse:' + url, once=True).batches(1000):
        count += sum(item.get_kind() == Feedwatch.ItemKind.EVENT for item in batch)
    return count


def timed(consumer, url):
    """(events/s, µs of CPU an event)"""
    start, cpu = time.perf_counter(), time.process_time()
    count = asyncio.run(consumer(url))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if count != N:
        sys.exit(f'{consumer.__name__}: {count} events, not {N}')
    return N / seconds, cpu * 1e6 / N


def aiohttp_rate(url):
    out = subprocess.run([sys.executable, os.path.join(SRC, 'bench_sse.py'), url, str(N)],
                         capture_output=True, text=True, check=True).stdout
    result = json.loads(out)
    return result['events_per_s'], result['cpu_seconds'] * 1e6 / N


def c_rate():
    out = subprocess.run([os.path.join(BUILD, 'tests', 'bench', 'bench-sse')],
                         env=dict(os.environ, FW_BENCH_QUICK='1'), capture_output=True,
                         text=True, check=True).stdout
    found = re.search(r'in process (\d+) events/s \((\d+) ns CPU an event\)', out)
    return float(found.group(1)), float(found.group(2)) / 1000


def main():
    server = subprocess.Popen([os.path.join(BUILD, 'tests', 'bench', 'bench-sse-server'), str(N)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    url = server.stdout.readline().strip()
    try:
        # the best of 2 by rate, and the least CPU of the 2
        one_runs = [timed(items, url) for _ in range(2)]
        many_runs = [timed(batches, url) for _ in range(2)]
        aio, aio_cpu = aiohttp_rate(url)
    finally:
        server.stdin.close()
        server.wait()
    native, native_cpu = c_rate()
    one, one_cpu = max(r for r, _ in one_runs), min(c for _, c in one_runs)
    many, many_cpu = max(r for r, _ in many_runs), min(c for _, c in many_runs)

    print(f'{N} events of ~20 bytes from a loopback server, `--once`; events/s, best of 2 for '
          'the binding, one run for the peers\n')
    print(f'| {"Python binding":<42} | {"events/s":>10} | {"peer":<38} | {"events/s":>10} | '
          f'{"ratio":>7} |')
    print(f'|{"-" * 44}|{"-" * 12}|{"-" * 40}|{"-" * 12}|{"-" * 9}|')
    rows = [('async for item in stream', one), ('async for batch in stream.batches(1000)', many)]
    for label, rate in rows:
        print(f'| {label:<42} | {rate:>10.0f} | {"aiohttp, reference sse_events loop":<38} | '
              f'{aio:>10.0f} | {rate / aio:>6.1f}× |')
    for label, rate in rows:
        print(f'| {label:<42} | {rate:>10.0f} | {"Feedwatch C consumer (next_batch)":<38} | '
              f'{native:>10.0f} | {rate / native:>6.2f}× |')

    print('\nCPU time of the consumer\'s process an event (the server\'s not counted), µs; '
          'ratio: the peer\'s over ours\n')
    print(f'| {"Python binding":<42} | {"µs":>6} | {"peer":<38} | {"µs":>6} | {"ratio":>7} |')
    print(f'|{"-" * 44}|{"-" * 8}|{"-" * 40}|{"-" * 8}|{"-" * 9}|')
    rows = [('async for item in stream', one_cpu),
            ('async for batch in stream.batches(1000)', many_cpu)]
    for peer, peer_cpu in [('aiohttp, reference sse_events loop', aio_cpu),
                           ('Feedwatch C consumer (next_batch)', native_cpu)]:
        for label, cpu in rows:
            print(f'| {label:<42} | {cpu:>6.2f} | {peer:<38} | {peer_cpu:>6.2f} | '
                  f'{peer_cpu / cpu:>6.2f}× |')
    print('\nTarget: ≥ 5× aiohttp.')


if __name__ == '__main__':
    main()
