"""A pool of worker processes that hands back its results in input order and notices a death.

Why not ``concurrent.futures.ProcessPoolExecutor``: its workers share one result
pipe, read by one thread. A worker killed half-way through writing a large
result (a batch chunk is a megabyte of answer lines) leaves half a message in
that pipe; the reader waits for the rest for ever, the pool never learns it
is broken, and ``specreg screen-batch`` hangs (seen on CI, 2026-12-01;
``multiprocessing.Pool`` hung on every death). Here each worker has its own
two pipes, and only that worker holds the writing end of its result pipe, so
its death reads as the end of that pipe, even in the middle of a message:
:class:`WorkerDied`, never a wait.

Each worker reads its tasks on a thread of its own, so a task sent while the
worker is busy never blocks the parent (the parent would otherwise wait on a
full task pipe while the worker waits on a full result pipe). At most
``ahead`` tasks per worker are in flight, so an input of any size is
streamed in bounded memory.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")
log = logging.getLogger("specreg.worker_pool")
_ENDED = object()


class WorkerDied(Exception):
    """A worker process ended before it answered every task it was given (a signal, out of memory)."""


@dataclass
class _Worker:
    """One process, the parent's ends of its two pipes, and the numbers of its tasks in flight."""

    process: BaseProcess
    tasks: Connection
    results: Connection
    in_flight: deque[int] = field(default_factory=deque)


def ordered_map(work: Callable[[Task], Result], tasks: Iterable[Task], workers: int,
                context: BaseContext, start: Callable[..., None], start_args: tuple = (),
                ahead: int = 4) -> Iterator[Result]:
    """``work(task)`` for every task, computed by ``workers`` processes, yielded in the tasks' order.

    Each process first runs ``start(*start_args)`` (with ``fork``, what it needs can
    simply be inherited). Raises :class:`WorkerDied` if a worker ends before answering;
    the results yielded before stand. A consumer that stops early ends the workers.
    """
    pool: list[_Worker] = []
    try:
        for _ in range(workers):
            pool.append(_start(context, work, start, start_args, pool))
        yield from _run(pool, iter(tasks), ahead)
    except BaseException:
        for worker in pool:
            worker.process.kill()
        raise
    finally:
        _close(pool)


def _start(context: BaseContext, work: Callable, start: Callable[..., None], start_args: tuple,
           started: list[_Worker]) -> _Worker:
    """A worker with two pipes of its own; the parent keeps only its own ends of them.

    With ``fork`` the child inherits every end the parent holds; it closes them
    (``inherited``), so that it alone can write its results and the parent's end
    of its task pipe closing reads as the end of its work.
    """
    task_reader, task_writer = context.Pipe(duplex=False)
    result_reader, result_writer = context.Pipe(duplex=False)
    inherited: list[Connection] = []
    if context.get_start_method() == "fork":
        inherited = [task_writer, result_reader]
        inherited += [end for worker in started for end in (worker.tasks, worker.results)]
    process = context.Process(target=_serve, daemon=True, args=(
        task_reader, result_writer, work, start, start_args, inherited))
    process.start()
    task_reader.close()
    result_writer.close()
    return _Worker(process, task_writer, result_reader)


def _run(pool: list[_Worker], tasks: Iterator[Any], ahead: int) -> Iterator[Any]:
    """Send tasks to the least busy worker, collect whatever comes back, yield it in order."""
    finished: dict[int, Any] = {}
    sent = given = 0
    more = True
    while True:
        while more and sent - given < ahead * len(pool):
            task = next(tasks, _ENDED)
            if task is _ENDED:
                more = False
                break
            _send(min(pool, key=lambda worker: len(worker.in_flight)), sent, task)
            sent += 1
        if given == sent:
            return
        _collect(pool, finished)
        while given in finished:
            yield finished.pop(given)
            given += 1


def _send(worker: _Worker, number: int, task: Any) -> None:
    try:
        worker.tasks.send(task)
    except OSError as error:  # the worker is gone: its task pipe has no reader
        raise WorkerDied(f"worker {worker.process.pid} ended") from error
    worker.in_flight.append(number)


def _collect(pool: list[_Worker], finished: dict[int, Any]) -> None:
    """Wait until a busy worker answers or ends; keep what came back under its task's number."""
    busy = [worker for worker in pool if worker.in_flight]
    ready = set(wait([worker.results for worker in busy] + [worker.process.sentinel for worker in busy]))
    for worker in busy:
        if worker.results in ready:
            try:
                finished[worker.in_flight.popleft()] = worker.results.recv()
            except (EOFError, OSError) as error:  # ended, perhaps half-way through a result
                raise WorkerDied(f"worker {worker.process.pid} ended") from error
        elif worker.process.sentinel in ready:
            raise WorkerDied(f"worker {worker.process.pid} ended with {worker.process.exitcode}")


def _close(pool: list[_Worker]) -> None:
    """Closing a task pipe tells its worker to finish; one that does not within seconds is killed."""
    for worker in pool:
        worker.tasks.close()
    for worker in pool:
        worker.process.join(timeout=10)
        if worker.process.exitcode is None:
            worker.process.kill()
            worker.process.join()
        worker.results.close()


# --- in the worker process -------------------------------------------------------

def _serve(tasks: Connection, results: Connection, work: Callable, start: Callable[..., None],
           start_args: tuple, inherited: list[Connection]) -> None:
    """The worker's life: start, then answer each task until the parent closes the task pipe."""
    for end in inherited:
        end.close()
    start(*start_args)
    inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
    threading.Thread(target=_receive, args=(tasks, inbox), daemon=True).start()
    try:
        while (task := inbox.get()) is not _ENDED:
            results.send(work(task))
    except OSError:  # the parent is gone: nobody reads the results
        raise SystemExit(1) from None
    except Exception as error:  # only its kind is logged: a message may quote the data
        log.error("a worker process stopped on %s", type(error).__name__)
        raise SystemExit(1) from None


def _receive(tasks: Connection, inbox: queue.SimpleQueue[Any]) -> None:
    """Reads tasks as they come, so the parent never waits on a full task pipe."""
    try:
        while True:
            inbox.put(tasks.recv())
    except (EOFError, OSError):
        inbox.put(_ENDED)
