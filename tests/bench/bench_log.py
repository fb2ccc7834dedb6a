# SPDX-License-Identifier: GPL-3.0-or-later
# The Python peer of bench-log.c: the reference texts' aiofiles loop (async for line in f,
# count the lines with "ERROR"), without their simulated per-line sleep. Reads at most
# MAX_BYTES of the file (the loop is slow; the rate is what is compared). Prints JSON.
import asyncio
import json
import sys
import time

import aiofiles

PATH = sys.argv[1]
MAX_BYTES = int(sys.argv[2]) if len(sys.argv) > 2 else 16 * 1024 * 1024


async def process_large_log_file(filepath):
    error_count = 0
    lines = 0
    size = 0
    async with aiofiles.open(filepath, mode='r') as f:
        async for line in f:
            lines += 1
            size += len(line)
            if "ERROR" in line:
                error_count += 1
            if size >= MAX_BYTES:
                break
    return error_count, lines, size


start = time.perf_counter()
errors, lines, size = asyncio.run(process_large_log_file(PATH))
elapsed = time.perf_counter() - start
print(json.dumps({"errors": errors, "lines": lines, "bytes": size, "seconds": elapsed}))
