#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Counts Server-Sent Events: the reference texts' sse_events() consumer, with Feedwatch's
parser, reconnection and Last-Event-ID. Usage: sse-consumer.py URL [N]"""
import asyncio
import sys

import gi
gi.require_version('Feedwatch', '0')
from gi.repository import Feedwatch  # noqa: E402


async def main(url, limit):
    count = 0
    async with Feedwatch.open('sse:' + url) as events:
        async for event in events:
            if event.get_kind() == Feedwatch.ItemKind.EVENT:
                count += 1
                if count == limit:
                    break
    print(count)

asyncio.run(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0))
