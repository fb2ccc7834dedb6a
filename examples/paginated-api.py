#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Reads every record of a paginated JSON API: the reference texts' paginated_fetch(), with
cursors, Link headers, offsets and page numbers all understood. Usage: paginated-api.py URL"""
import asyncio
import sys

import gi
gi.require_version('Feedwatch', '0')
from gi.repository import Feedwatch  # noqa: E402


async def main(url):
    records = 0
    async for record in Feedwatch.open('pages:' + url, once=True):
        records += record.get_kind() == Feedwatch.ItemKind.MESSAGE
    print(records)

asyncio.run(main(sys.argv[1]))
