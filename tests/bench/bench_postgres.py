# SPDX-License-Identifier: GPL-3.0-or-later
"""The peer of bench-postgres.c: psycopg 3's async notifies() on the same server, the same
channel and the same burst of notifications, timed the same way: from the sender's commit to
the last notification received. Prints the notifications per second."""

import asyncio
import sys
import time

import psycopg


async def main(conninfo: str, count: int) -> None:
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as listener:
        await listener.execute("LISTEN bench")
        with psycopg.connect(conninfo, autocommit=True) as sender:
            sender.execute("SELECT pg_notify('bench', g::text) FROM generate_series(1, %s) AS g",
                           (count,))
            start = time.monotonic()
            received = 0
            async for _ in listener.notifies():
                received += 1
                if received == count:
                    break
            elapsed = time.monotonic() - start
    print(f"{count / elapsed:.0f}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
