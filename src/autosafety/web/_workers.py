"""Analyses in worker processes that a deadline can stop: one analysis per CPU, killed on timeout.

A thread cannot be stopped from outside, so a request that timed out used to keep computing (and
its CPU slot was freed at once, so threads piled up). Here each analysis runs in a worker process;
when the request is cancelled (the 503 of the request deadline, or the client leaving) the worker
is killed at once, and the CPU slot is released only after it is gone. Workers are forked from a
preloaded server process, so a replacement starts in milliseconds, and each has a memory cap.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from starlette.exceptions import HTTPException

from .._errors import InputError, Problem

MEMORY_LIMIT = 4 * 1024**3
"""Address space one analysis worker may use (bytes); beyond it the request gets 422."""

Job = Callable[[Any], Any]


M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
"""glibc's ``mallopt`` parameters (malloc.h)."""


def keep_freed_memory() -> bool:
    """Ask glibc to keep freed memory for the next analysis instead of handing it back to the
    system: an analysis allocates arrays of several MB, and memory given back must be faulted in
    again page by page (costly, in a VM above all). Memory stays bounded by the largest analysis.
    False where the C library is not glibc."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, 32 * 2**20) and mallopt(M_TRIM_THRESHOLD, 1024 * 2**20))


def _serve(conn: Connection, memory_limit: int) -> None:  # pragma: no cover - runs in the worker
    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    keep_freed_memory()
    while True:
        try:
            job, arg = conn.recv()
        except EOFError:
            return
        try:
            reply: tuple[Any, ...] = ("ok", job(arg))
        except InputError as e:
            reply = ("input", e.title, [(p.location, p.message, p.fix) for p in e.problems])
        except MemoryError:
            reply = ("memory",)
        except Exception as e:  # reported to the parent, which answers 500 as for any bug
            reply = ("error", f"{type(e).__name__}: {e}")
        conn.send(reply)


class _Worker:
    def __init__(self, ctx: Any, memory_limit: int):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, memory_limit), daemon=True,
                                   name="autosafety-analysis")
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class AnalysisPool:
    """At most ``slots`` analyses at once, each in its own worker process (see module doc)."""

    def __init__(self, slots: int | None = None, *, memory_limit: int = MEMORY_LIMIT):
        self.slots = slots or os.cpu_count() or 1
        self.memory_limit = memory_limit
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(["autosafety.web._workers", "autosafety.web.routers.analysis"])
        self._idle: list[_Worker] = []
        self._running: list[_Worker] = []
        self._sem: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.busy = 0
        """Analyses holding a CPU slot now (their worker is computing or being killed)."""
        self.killed = 0
        """Workers killed because their request was cancelled (e.g. timed out)."""

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self._sem is None or self._loop is not loop:
            self._sem, self._loop = asyncio.Semaphore(self.slots), loop
        return self._sem

    def pids(self) -> list[int]:
        """Process ids of the live workers (idle or busy)."""
        return [w.process.pid for w in self._all if w.process.pid and w.process.is_alive()]

    @property
    def _all(self) -> list[_Worker]:
        return [*self._idle, *self._running]

    async def run(self, job: Job, arg: Any) -> Any:
        """``job(arg)`` in a worker; InputError, MemoryError and cancellation as described."""
        async with self._semaphore():
            self.busy += 1
            try:
                worker = self._idle.pop() if self._idle else \
                    await asyncio.to_thread(_Worker, self._ctx, self.memory_limit)
                self._running.append(worker)
                try:
                    reply = await self._ask(worker, job, arg)
                except BaseException:  # cancelled (deadline, client gone) or the worker died
                    self._running.remove(worker)
                    self.killed += 1
                    worker.kill()  # returns once the process is gone: the CPU is free again
                    raise
                self._running.remove(worker)
                self._idle.append(worker)
            finally:
                self.busy -= 1
        kind = reply[0]
        if kind == "ok":
            return reply[1]
        if kind == "input":
            raise InputError([Problem(*p) for p in reply[2]], title=reply[1])
        if kind == "memory":
            raise InputError(Problem("request", f"the analysis needs more than "
                                     f"{self.memory_limit / 1024**3:g} GB of memory",
                                     "use fewer areas or fewer draws"), title="request too large")
        raise RuntimeError(reply[1])

    async def _ask(self, worker: _Worker, job: Job, arg: Any) -> Any:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        fd = worker.conn.fileno()

        def ready() -> None:
            if not done.done():
                done.set_result(None)

        loop.add_reader(fd, ready)
        try:
            worker.conn.send((job, arg))
            await done
        finally:
            loop.remove_reader(fd)
        try:
            return worker.conn.recv()
        except (EOFError, OSError):
            raise HTTPException(503, "the analysis worker stopped unexpectedly") from None

    def close(self) -> None:
        """Stop every worker."""
        for w in self._all:
            w.kill()
        self._idle.clear()
        self._running.clear()
