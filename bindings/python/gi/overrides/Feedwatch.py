# SPDX-License-Identifier: LGPL-2.1-or-later
"""Feedwatch streams for asyncio: ``async for item in Feedwatch.open("sse:http://…")``.

PyGObject loads this file when a program imports ``gi.repository.Feedwatch``. It adds:

- ``Feedwatch.open(text, once=False)``: a feed as a stream (the feed texts of the README);
- ``async for item in stream``, ``async for batch in stream.batches(1000)``, ``await
  stream.aclose()``, ``async with stream`` and ``contextlib.aclosing(stream)``;
- cancellation both ways: cancelling the awaiting task cancels the stream's pending call, and a
  call that GLib cancels (the stream was closed elsewhere) raises ``asyncio.CancelledError``.

Debian 12's PyGObject has no asyncio integration, so this file brings a minimal one: while a
stream is awaited, the asyncio loop drives GLib's default main context, in the same thread, as
GLib's own loop would (prepare, query, poll through asyncio's selector, check, dispatch). The
GLib calls that PyGObject 3.42 cannot make (``g_main_context_query`` fills a C array) go through
ctypes. Streams must be opened and iterated in the thread that runs the asyncio loop.
"""

import asyncio
import collections
import ctypes
import select

from gi import Repository as GIRepository
from gi._gi import EnumInfo
from gi.module import get_introspection_module
from gi.overrides import override
from gi.repository import Gio, GLib

Feedwatch = get_introspection_module('Feedwatch')

__all__ = ['Stream', 'open']

# The enums and flags, set on the module PyGObject hands out: without this each
# `Feedwatch.ItemKind` goes through the overrides proxy's __getattr__, 2 to 3 µs, more than
# the item it is compared with costs to make, when a loop writes
# `item.get_kind() == Feedwatch.ItemKind.EVENT` (50 ns with it).
for _info in GIRepository.get_default().get_infos('Feedwatch'):
    if isinstance(_info, EnumInfo):
        globals()[_info.get_name()] = getattr(Feedwatch, _info.get_name())
        __all__.append(_info.get_name())
del _info


# GLib's main context, driven by asyncio

class _PollFD(ctypes.Structure):
    _fields_ = [('fd', ctypes.c_int), ('events', ctypes.c_ushort), ('revents', ctypes.c_ushort)]


_glib = ctypes.CDLL('libglib-2.0.so.0')
_glib.g_main_context_default.restype = ctypes.c_void_p
_glib.g_main_context_acquire.argtypes = [ctypes.c_void_p]
_glib.g_main_context_release.argtypes = [ctypes.c_void_p]
_glib.g_main_context_prepare.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
_glib.g_main_context_query.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int),
                                       ctypes.POINTER(_PollFD), ctypes.c_int]
_glib.g_main_context_check.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(_PollFD),
                                       ctypes.c_int]
_glib.g_main_context_dispatch.argtypes = [ctypes.c_void_p]

# GIOCondition and poll(2) share their bit values on Linux
_IN = GLib.IOCondition.IN | GLib.IOCondition.PRI
_OUT = GLib.IOCondition.OUT


class _Driver:
    """Runs GLib's default main context inside one asyncio loop."""

    def __init__(self, loop):
        self.loop = loop
        self.context = _glib.g_main_context_default()
        if not _glib.g_main_context_acquire(self.context):
            raise RuntimeError('GLib\'s default main context is run by another thread: open and '
                               'iterate Feedwatch streams in the thread that runs it')
        self.fds = (_PollFD * 16)()
        self.n_fds = 0
        self.priority = ctypes.c_int(0)
        self.prepared = False
        self.readers = set()
        self.writers = set()
        self.timer = None
        self.scheduled = False

    def wake(self):
        """Runs a turn soon: Python just called into GLib, which may have new work."""
        if not self.scheduled:
            self.scheduled = True
            self.loop.call_soon(self._turn)

    def _turn(self):
        self.scheduled = False
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.prepared:
            self.prepared = False
            self._poll_now()
            if _glib.g_main_context_check(self.context, self.priority.value, self.fds, self.n_fds):
                _glib.g_main_context_dispatch(self.context)
        self._prepare()

    def _poll_now(self):
        poller = select.poll()
        for i in range(self.n_fds):
            poller.register(self.fds[i].fd, self.fds[i].events)
            self.fds[i].revents = 0
        ready = dict(poller.poll(0))
        for i in range(self.n_fds):
            self.fds[i].revents = ready.get(self.fds[i].fd, 0) & (self.fds[i].events | 0x38)

    def _prepare(self):
        ready = _glib.g_main_context_prepare(self.context, ctypes.byref(self.priority))
        timeout = ctypes.c_int(-1)
        while True:
            n = _glib.g_main_context_query(self.context, self.priority.value,
                                           ctypes.byref(timeout), self.fds, len(self.fds))
            if n <= len(self.fds):
                break
            self.fds = (_PollFD * n)()
        self.n_fds = n
        self.prepared = True

        readers = {self.fds[i].fd for i in range(n) if self.fds[i].events & _IN}
        writers = {self.fds[i].fd for i in range(n) if self.fds[i].events & _OUT}
        for fd in self.readers - readers:
            self.loop.remove_reader(fd)
        for fd in readers - self.readers:
            self.loop.add_reader(fd, self.wake)
        for fd in self.writers - writers:
            self.loop.remove_writer(fd)
        for fd in writers - self.writers:
            self.loop.add_writer(fd, self.wake)
        self.readers, self.writers = readers, writers

        if ready or timeout.value == 0:
            self.wake()
        elif timeout.value > 0:
            self.timer = self.loop.call_later(timeout.value / 1000, self.wake)


_drivers = {}


def _driver():
    loop = asyncio.get_running_loop()
    driver = _drivers.get(loop)
    if driver is None:
        driver = _drivers[loop] = _Driver(loop)
    return driver


async def _call(start, finish):
    """Awaits one GIO-style call: start(cancellable, callback), then finish(result)."""
    driver = _driver()
    future = driver.loop.create_future()
    cancellable = Gio.Cancellable()

    def done(source, result, _data):
        try:
            value = finish(result)
        except GLib.Error as error:
            if not future.done():
                if error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED):
                    future.cancel()
                else:
                    future.set_exception(error)
            return
        if not future.done():
            future.set_result(value)

    start(cancellable, done)
    driver.wake()
    try:
        return await future
    except asyncio.CancelledError:
        cancellable.cancel()
        driver.wake()
        raise


# Streams as async iterators

class _Batches:
    def __init__(self, stream, size):
        self.stream, self.size = stream, size

    def __aiter__(self):
        return self

    async def __anext__(self):
        batch = await self.stream._next_batch(self.size)
        if not batch:
            raise StopAsyncIteration
        return batch


class Stream(Feedwatch.Stream):
    """A Feedwatch stream: ``async for item in stream``; see the module's text."""

    def __aiter__(self):
        return self

    async def __anext__(self):
        ready = self.__dict__.get('_ready')
        if ready:
            return ready.popleft()
        # What is ready now, up to 1000: items cross from GLib in batches, one at a time only
        # when they come one at a time.
        batch = await self._next_batch(1000)
        if not batch:
            raise StopAsyncIteration
        ready = self.__dict__['_ready'] = collections.deque(batch)
        return ready.popleft()

    def batches(self, size=1000):
        """``async for batch in stream.batches(1000)``: lists of 1 to @size items."""
        return _Batches(self, size)

    async def _next_batch(self, size):
        batch = await _call(
            lambda cancellable, done: self.next_batch_async(size, cancellable, done, None),
            self.next_batch_finish)
        # PyGObject already made the GPtrArray a new list: no copy
        return batch if batch is not None else []

    async def aclose(self):
        """Closes the stream and waits until its resources are released (``aclose()``)."""
        self.__dict__.get('_ready', collections.deque()).clear()
        await _call(lambda cancellable, done: self.close_async(cancellable, done, None),
                    self.close_finish)

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        await self.aclose()


Stream = override(Stream)
__all__.append('Stream')


def open(text, once=False):  # noqa: A001 (the feed's word: it opens a feed)
    """Opens a feed written as on Feedwatch's command line ("sse:http://…", "app.log").

    With @once, reads to the natural end without following or reconnecting (``--once``).
    Raises GLib.Error, in words, for a text Feedwatch cannot open."""
    flags = Feedwatch.FeedOpenFlags.ONCE if once else Feedwatch.FeedOpenFlags.NONE
    return Feedwatch.feed_open(text, flags)
