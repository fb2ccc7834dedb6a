#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Merges sensor streams into one, in the order readings arrive: the reference texts'
merge_iterators(), with the merge's fairness and closing done in C. Usage: merge-sensors.py N
FEED… (N readings in all; feeds as on Feedwatch's command line, e.g. sim:sensor)"""
import asyncio
import sys

import gi
gi.require_version('Feedwatch', '0')
from gi.repository import Feedwatch  # noqa: E402


async def main(limit, feeds):
    merged = Feedwatch.Merge.new([Feedwatch.open(feed) for feed in feeds],
                                 Feedwatch.MergeFlags.NONE)
    seen = {}
    async with merged:
        async for reading in merged:
            if reading.has_value():
                seen[reading.get_feed()] = seen.get(reading.get_feed(), 0) + 1
                if sum(seen.values()) == limit:
                    break
    for feed, count in sorted(seen.items()):
        print(feed, count)

asyncio.run(main(int(sys.argv[1]), sys.argv[2:]))
