#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Counts a log's error lines: the reference texts' process_large_log_file(), reading in the
background with levels detected the way the window shows them. Usage: error-counter.py FILE"""
import asyncio
import sys

import gi
gi.require_version('Feedwatch', '0')
from gi.repository import Feedwatch  # noqa: E402


async def main(path):
    errors = 0
    async for batch in Feedwatch.open(path, once=True).batches(1000):
        errors += sum(line.get_level() >= Feedwatch.Level.ERROR for line in batch
                      if line.get_kind() == Feedwatch.ItemKind.LINE)
    print(errors)

asyncio.run(main(sys.argv[1]))
