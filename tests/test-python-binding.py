#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Python binding's contract (bindings/python): cancellation both ways, aclose(), errors in
words, batches of at most the size asked, GLib timers running inside asyncio, and items that
answer as Feedwatch.Item does while a batch crosses from C in one call a field. TAP output."""
import asyncio
import contextlib
import math
import os
import sys
import tempfile

import gi
gi.require_version('Feedwatch', '0')
from gi.repository import Feedwatch, GLib  # noqa: E402

tests = []


def test(function):
    tests.append(function)
    return function


@test
async def task_cancel_reaches_the_stream():
    # A reading every 100 s: the task waits in next until cancelled.
    stream = Feedwatch.open('sim:sensor?interval=100000')
    task = asyncio.create_task(stream.__anext__())
    await asyncio.sleep(0)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert task.cancelled()
    # The stream's pending call ended: closing does not fail with "pending".
    await stream.aclose()
    assert stream.is_closed()


@test
async def glib_cancel_raises_cancelled_error():
    stream = Feedwatch.open('sim:sensor?interval=100000')
    waiting = asyncio.create_task(stream.__anext__())
    await asyncio.sleep(0)
    await stream.aclose()   # closing cancels what is pending, in GLib
    try:
        await waiting
    except asyncio.CancelledError:
        return
    raise AssertionError('the pending next did not end with CancelledError')


@test
async def errors_in_words():
    try:
        Feedwatch.open('nosuchkind:thing')
    except GLib.Error as error:
        assert 'nosuchkind' in error.message, error.message
    else:
        raise AssertionError('an unknown kind opened')
    missing = os.path.join(tempfile.gettempdir(), 'feedwatch-no-such-file.log')
    with contextlib.suppress(FileNotFoundError):
        os.unlink(missing)
    try:
        async for _ in Feedwatch.open(missing, once=True):
            pass
    except GLib.Error as error:
        assert 'feedwatch-no-such-file.log' in error.message, error.message
    else:
        raise AssertionError('a missing file read as empty')


@test
async def batches_and_items_agree():
    with tempfile.NamedTemporaryFile('w', suffix='.log', delete=False) as f:
        f.writelines(f'line {i}\n' for i in range(2500))
    try:
        sizes = [len(batch) async for batch in Feedwatch.open(f.name, once=True).batches(1000)]
        lines = [item.get_text() async for item in Feedwatch.open(f.name, once=True)
                 if item.get_kind() == Feedwatch.ItemKind.LINE]
    finally:
        os.unlink(f.name)
    assert max(sizes) <= 1000, sizes
    assert lines == [f'line {i}' for i in range(2500)], lines[:3]


@test
async def glib_timers_run_inside_asyncio():
    # A GLib timeout fires while asyncio waits on a future: the context is driven by the loop.
    fired = asyncio.get_running_loop().create_future()
    GLib.timeout_add(20, lambda: fired.set_result(True) or False)
    stream = Feedwatch.open('sim:sensor?interval=100000')   # starts the driver
    task = asyncio.create_task(stream.__anext__())
    assert await asyncio.wait_for(fired, 10)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    await stream.aclose()


@test
async def enums_are_plain_attributes_of_the_module():
    # A per-item `item.get_kind() == Feedwatch.ItemKind.EVENT` must not go through the overrides
    # proxy's __getattr__ (microseconds a lookup): every enum and flags type of the namespace is
    # set on the module itself.
    names = [info.get_name() for info in gi.Repository.get_default().get_infos('Feedwatch')
             if isinstance(info, gi._gi.EnumInfo)]
    assert 'ItemKind' in names and 'FeedOpenFlags' in names, names
    missing = [name for name in names if name not in vars(Feedwatch)]
    assert not missing, missing
    # the same classes the calls return
    assert vars(Feedwatch)['ItemKind'] is type(Feedwatch.ItemKind.EVENT)


GETTERS = ['get_kind', 'get_level', 'get_flags', 'get_time', 'get_source_time', 'get_feed',
           'get_name', 'get_unit', 'get_id', 'has_value', 'get_value', 'get_text', 'get_fields',
           'get_bytes', 'to_json']


def same(a, b):
    if isinstance(a, GLib.Bytes) and isinstance(b, GLib.Bytes):
        return a.get_data() == b.get_data()
    return a == b or (isinstance(a, float) and isinstance(b, float)
                      and math.isnan(a) and math.isnan(b))


async def some_items():
    """Lines with levels and source times, readings with names, ids and values."""
    with tempfile.NamedTemporaryFile('w', suffix='.log', delete=False) as f:
        f.write('2026-11-22T02:03:04Z ERROR disk full\nINFO all well\nplain line\n')
    try:
        items = [item async for item in Feedwatch.open(f.name, once=True)]
        batches = [batch async for batch in Feedwatch.open(f.name, once=True).batches(2)]
    finally:
        os.unlink(f.name)
    readings = []
    async with Feedwatch.open('sim:sensor?interval=1') as sensor:
        async for item in sensor:
            if item.has_value():
                readings.append(item)
                if len(readings) == 3:
                    break
    return items + [item for batch in batches for item in batch] + readings


@test
async def items_answer_as_feedwatch_items():
    items = await some_items()
    kinds = {item.get_kind() for item in items}
    assert items[0] != items[1] and items[0] == Feedwatch.ItemArray.new(items).get(0), items[:2]
    assert {Feedwatch.ItemKind.LINE, Feedwatch.ItemKind.READING} <= kinds, kinds
    assert any(item.get_level() == Feedwatch.Level.ERROR for item in items)
    assert any(item.get_source_time() != 0 for item in items)
    for item in items:
        boxed = item.item
        assert isinstance(boxed, Feedwatch.Item) and boxed.item is boxed, boxed
        assert item == boxed and boxed == item and hash(item) == hash(boxed), item
        for getter in GETTERS:
            ours, theirs = getattr(item, getter)(), getattr(boxed, getter)()
            assert same(ours, theirs), (getter, ours, theirs)
            assert type(ours) is type(theirs), (getter, type(ours), type(theirs))


@test
async def a_batch_crosses_in_one_call_a_field():
    # Reading the texts and kinds of 2500 lines asks the batch for each field once, and no
    # item for its own.
    calls = {'batch': 0, 'item': 0}
    originals = Feedwatch.ItemArray.get_texts, Feedwatch.Item.get_text

    def batch_texts(array):
        calls['batch'] += 1
        return originals[0](array)

    def item_text(item):
        calls['item'] += 1
        return originals[1](item)

    with tempfile.NamedTemporaryFile('w', suffix='.log', delete=False) as f:
        f.writelines(f'line {i}\n' for i in range(2500))
    Feedwatch.ItemArray.get_texts, Feedwatch.Item.get_text = batch_texts, item_text
    try:
        n_batches = 0
        texts = []
        async for batch in Feedwatch.open(f.name, once=True).batches(1000):
            n_batches += 1
            texts += [line.get_text() for line in batch
                      if line.get_kind() == Feedwatch.ItemKind.LINE]
    finally:
        Feedwatch.ItemArray.get_texts, Feedwatch.Item.get_text = originals
        os.unlink(f.name)
    assert texts == [f'line {i}' for i in range(2500)], texts[:3]
    assert calls == {'batch': n_batches, 'item': 0}, (calls, n_batches)


@test
async def items_go_where_feedwatch_items_go():
    # What async for yields is taken by every call that takes a Feedwatch.Item.
    items = await some_items()
    texts = [item.get_text() async for item in Feedwatch.ArrayStream.new(items)]
    assert texts == [item.get_text() for item in items], texts
    channel = Feedwatch.Channel.new(len(items), Feedwatch.ChannelPolicy.BLOCK)
    assert all(channel.try_send(item) for item in items)
    async with channel:
        assert [(await channel.__anext__()).get_text() for _ in items] == texts


def main():
    print(f'1..{len(tests)}')
    failed = 0
    for number, function in enumerate(tests, 1):
        try:
            asyncio.run(asyncio.wait_for(function(), 60))
            print(f'ok {number} {function.__name__}')
        except BaseException as error:  # noqa: B036 (CancelledError is a failure here too)
            failed += 1
            print(f'not ok {number} {function.__name__}: {error!r}')
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
