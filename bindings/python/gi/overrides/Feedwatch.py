# SPDX-License-Identifier: LGPL-2.1-or-later
"""Feedwatch streams for asyncio: ``async for item in Feedwatch.open("sse:http://…")``.

PyGObject loads this file when a program imports ``gi.repository.Feedwatch``. It adds:

- ``Feedwatch.open(text, once=False)``: a feed as a stream (the feed texts of the README);
- ``async for item in stream``, ``async for batch in stream.batches(1000)``, ``await
  stream.aclose()``, ``async with stream`` and ``contextlib.aclosing(stream)``;
- cancellation both ways: cancelling the awaiting task cancels the stream's pending call, and a
  call that GLib cancels (the stream was closed elsewhere) raises ``asyncio.CancelledError``.

The items these yield are ``ItemView`` objects: they answer every method of ``Feedwatch.Item``
(``get_kind()``, ``get_text()``, ``get_fields()``, ``to_json()``, …) and every call that takes a
``Feedwatch.Item`` takes them (``channel.try_send(view)``); ``x.item`` is the ``Feedwatch.Item``
itself, of a view or of an item. A batch crosses from C as one ``Feedwatch.ItemArray`` read a
field at a time, one call for the whole batch, instead of a wrapper and a call per item and
field. A view keeps its batch's fields: to keep a few items of many for long, keep ``x.item``.

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
from itertools import repeat

from gi import Repository as GIRepository
from gi._gi import EnumInfo, FunctionInfo, ObjectInfo, StructInfo
from gi.module import get_introspection_module
from gi.overrides import override
from gi.repository import Gio, GLib

Feedwatch = get_introspection_module('Feedwatch')

__all__ = ['ItemView', 'Stream', 'open']

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


# Items read a batch at a time

def _values(enum_type):
    """A 256-entry table from a byte of an ItemArray column to the enum or flags value that
    the item's getter returns, so a view's getter is one index, not a call into PyGObject."""
    known = getattr(enum_type, '__enum_values__', None) or {}
    table = []
    for value in range(256):
        try:
            table.append(known[value] if value in known else enum_type(value))
        except (TypeError, ValueError):
            table.append(value)
    return tuple(table)


_KINDS = _values(Feedwatch.ItemKind)
_LEVELS = _values(Feedwatch.Level)
_FLAGS = _values(Feedwatch.ItemFlags)
_HAS_VALUE = int(Feedwatch.ItemFlags.HAS_VALUE)


class _Columns:
    """One batch's fields: each is read for the whole batch, with one call into C
    (``ItemArray.get_kinds()`` …), the first time a view of the batch asks for it."""

    def __init__(self, array):
        self.array = array

    def __getattr__(self, name):
        value = getattr(self.array, 'get_' + name)()
        self.__dict__[name] = value
        return value


class ItemView:
    """One item of a stream, as ``async for`` yields it: the methods of ``Feedwatch.Item``,
    answered from its batch's fields; ``item`` is the ``Feedwatch.Item`` itself."""

    # The kind is read with the view: nearly every consumer asks each item for it first.
    __slots__ = ('_columns', '_index', '_kind')

    def __init__(self, columns, index, kind):
        self._columns = columns
        self._index = index
        self._kind = kind

    @property
    def item(self):
        """The ``Feedwatch.Item``, for calls that take one."""
        return self._columns.array.get(self._index)

    def __repr__(self):
        kind = getattr(self._kind, 'value_nick', self._kind)
        return f'<Feedwatch.ItemView {kind} {self.get_text()[:40]!r}>'

    # Equal, as items are, when they stand for the same item, whether views or items
    def __eq__(self, other):
        if type(other) is ItemView:
            if other._columns is self._columns:
                return other._index == self._index
            other = other.item
        return self.item == other if isinstance(other, Feedwatch.Item) else NotImplemented

    def __hash__(self):
        return hash(self.item)

    def get_kind(self):
        return self._kind

    def get_level(self):
        return _LEVELS[self._columns.levels[self._index]]

    def get_flags(self):
        return _FLAGS[self._columns.flags[self._index]]

    def get_time(self):
        return self._columns.times[self._index]

    def get_source_time(self):
        return self._columns.source_times[self._index]

    def get_feed(self):
        return self._columns.feeds[self._index]

    def get_name(self):
        return self._columns.names[self._index]

    def get_unit(self):
        return self._columns.units[self._index]

    def get_id(self):
        return self._columns.ids[self._index]

    def has_value(self):
        return (self._columns.flags[self._index] & _HAS_VALUE) != 0

    def get_value(self):
        return self._columns.values[self._index]

    def get_text(self):
        return self._columns.texts[self._index]


class Item(Feedwatch.Item):
    @property
    def item(self):
        """The item itself, as ``ItemView.item``: code that takes either reads ``x.item``."""
        return self


Item = override(Item)
__all__.append('Item')


def _delegate(name):
    def call(self, *args, **kwargs):
        return getattr(self._columns.array.get(self._index), name)(*args, **kwargs)
    call.__name__ = call.__qualname__ = name
    call.__doc__ = getattr(Feedwatch.Item, name).__doc__
    return call


# The rest of Feedwatch.Item (get_fields(), get_bytes(), get_group(), to_json(), …) asks the
# item itself. Methods, not __getattr__: a class with __getattr__ loses the interpreter's fast
# method lookup, which costs more than a getter.
for _method in GIRepository.get_default().find_by_name('Feedwatch', 'Item').get_methods():
    if _method.is_method() and not hasattr(ItemView, _method.get_name()):
        setattr(ItemView, _method.get_name(), _delegate(_method.get_name()))
del _method


def _views(array):
    """The views of an ItemArray's items, made as they are taken."""
    return map(ItemView, repeat(_Columns(array)), range(array.get_length()),
               map(_KINDS.__getitem__, array.get_kinds()))


def _unview(value):
    if type(value) is ItemView:
        return value.item
    if type(value) in (list, tuple) and any(type(v) is ItemView for v in value):
        return [_unview(v) for v in value]
    return value


def _takes_items(function):
    for arg in function.get_arguments():
        arg_type = arg.get_type()
        if arg_type.get_tag_as_string() in ('array', 'glist', 'gslist'):
            arg_type = arg_type.get_param_type(0)
        if (arg_type.get_tag_as_string() == 'interface'
                and arg_type.get_interface().get_name() == 'Item'):
            return True
    return False


def _accepting_views(function):
    def call(*args, **kwargs):
        return function(*map(_unview, args), **{k: _unview(v) for k, v in kwargs.items()})
    call.__name__ = call.__qualname__ = function.get_name()
    call.__doc__ = function.__doc__
    return call


# Streams as async iterators

class _Batches:
    def __init__(self, stream, size):
        self.stream, self.size = stream, size

    def __aiter__(self):
        return self

    async def __anext__(self):
        array = await self.stream._next_batch(self.size)
        if not array.get_length():
            raise StopAsyncIteration
        return list(_views(array))


# What `async for` takes from GLib at once: what is ready now, up to this many. Items cross in
# batches, one at a time only when they come one at a time; a batch costs about 0.1 ms of
# driving the two loops, a tenth of a µs an item at 1000.
_READY_MAX = 4096


class Stream(Feedwatch.Stream):
    """A Feedwatch stream: ``async for item in stream``; see the module's text."""

    def __aiter__(self):
        # An async generator: its step costs less than a call of __anext__, which makes a
        # coroutine an item. It takes what __anext__ would, from the same batch.
        return self._items()

    async def _items(self):
        state = self.__dict__
        while True:
            ready = state.get('_ready')
            if ready is not None:
                for view in ready:
                    yield view
            array = await self._next_batch(_READY_MAX)
            if not array.get_length():
                return
            state['_ready'] = _views(array)

    async def __anext__(self):
        ready = self.__dict__.get('_ready')
        if ready is not None:
            view = next(ready, None)
            if view is not None:
                return view
        array = await self._next_batch(_READY_MAX)
        if not array.get_length():
            raise StopAsyncIteration
        ready = self.__dict__['_ready'] = _views(array)
        return next(ready)

    def batches(self, size=1000):
        """``async for batch in stream.batches(1000)``: lists of 1 to @size items."""
        return _Batches(self, size)

    async def _next_batch(self, size):
        return await _call(
            lambda cancellable, done: self.next_batch_async(size, cancellable, done, None),
            self.next_batch_finish_array)

    async def aclose(self):
        """Closes the stream and waits until its resources are released (``aclose()``)."""
        # drained, not dropped: an `async for` may hold it
        collections.deque(self.__dict__.pop('_ready', ()), maxlen=0)
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


def _accept_views():
    """Every call of the namespace that takes an item (Channel.try_send(), ArrayStream.new(),
    AlertEngine.process(), …) takes a view too, as the Feedwatch.Item it stands for. It runs
    after the Stream override, since the classes it fetches inherit from the one registered."""
    for info in GIRepository.get_default().get_infos('Feedwatch'):
        if isinstance(info, FunctionInfo):
            if _takes_items(info) and 'unref' not in info.get_name():
                globals()[info.get_name()] = _accepting_views(getattr(Feedwatch, info.get_name()))
                __all__.append(info.get_name())
        elif isinstance(info, (ObjectInfo, StructInfo)) and info.get_name() != 'Item':
            for method in info.get_methods():
                if _takes_items(method) and 'unref' not in method.get_name():
                    cls = getattr(Feedwatch, info.get_name())
                    name = method.get_name() + ('_' if method.get_name() == 'yield' else '')
                    if method.is_method():
                        setattr(cls, name, _accepting_views(cls.__dict__[name]))
                    else:  # a constructor, bound to its class
                        setattr(cls, name, staticmethod(_accepting_views(getattr(cls, name))))


_accept_views()
