"""The worker pool behind ``specreg screen-batch``: order, bounded memory, and a death that never hangs."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from specreg.worker_pool import WorkerDied, ordered_map

FORK = multiprocessing.get_context("fork")
RESULT_BYTES = 64 << 20  # a result that takes the pipe many writes


def _nothing() -> None:
    pass


def _slow_when_odd(number: int) -> tuple[int, int]:
    time.sleep(0.02 if number % 2 else 0)
    return number, os.getpid()


def _killed_while_sending(task: tuple[int, Path]) -> object:
    """The second task's result is large, and its process is killed while that result is on its way;
    it waits until the first result has reached the consumer (``marker``), so that one stands."""
    number, marker = task
    if number != 1:
        return number
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    return _DiesWhileSent(number)


class _DiesWhileSent:
    """Pickled in the worker just before its bytes are written; a watcher then kills the process
    once it is in the middle of writing them (``ProcessPoolExecutor`` then waits for the rest for ever)."""

    def __init__(self, number: int) -> None:
        self.number = number

    def __reduce__(self):
        threading.Thread(target=_kill_when_writing, args=(threading.main_thread().ident,)).start()
        return bytes, (bytes(RESULT_BYTES),)  # the bytes themselves go down the pipe


def _kill_when_writing(thread: int) -> None:
    """SIGKILL this process when ``thread`` is in ``Connection._send``, writing a message's bytes."""
    while True:
        frame = sys._current_frames()[thread]
        while frame and frame.f_code.co_name != "_send":
            frame = frame.f_back
        if frame:
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.0005)


def _raises(number: int) -> int:
    raise ValueError("ИИН 850501300011 in a message")  # personal data: must not reach the log


def _in_thread(consume, seconds: float = 60):
    """What ``consume()`` returned or raised, or a failure if it did not end in time."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = consume()
        except BaseException as error:  # handed to the test
            outcome["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still waiting after {seconds} s"
    return outcome


def test_results_come_back_in_order_from_every_worker():
    results = list(ordered_map(_slow_when_odd, range(40), 2, FORK, _nothing, ahead=2))
    assert [number for number, _ in results] == list(range(40))
    assert len({pid for _, pid in results}) == 2
    assert not multiprocessing.active_children()


def test_a_worker_killed_half_way_through_a_result_ends_the_map_with_worker_died(tmp_path):
    given: list[object] = []
    marker = tmp_path / "first-result-given"

    def consume() -> None:
        tasks = [(number, marker) for number in range(6)]
        for result in ordered_map(_killed_while_sending, tasks, 2, FORK, _nothing, ahead=1):
            given.append(result)
            marker.touch()

    outcome = _in_thread(consume)
    assert isinstance(outcome.get("error"), WorkerDied)
    assert given == [0]  # what came before the death stands
    assert not multiprocessing.active_children()


def test_a_worker_that_fails_ends_the_map_and_the_log_names_only_the_kind(caplog):
    caplog.set_level(logging.ERROR)
    outcome = _in_thread(lambda: list(ordered_map(_raises, range(4), 2, FORK, _nothing)))
    assert isinstance(outcome.get("error"), WorkerDied)
    assert "850501300011" not in caplog.text


def test_a_consumer_that_stops_early_leaves_no_worker_behind():
    results = ordered_map(_slow_when_odd, range(1000), 2, FORK, _nothing)
    assert next(results)[0] == 0
    results.close()
    assert not multiprocessing.active_children()


def test_no_task_means_no_result():
    assert list(ordered_map(_slow_when_odd, [], 2, FORK, _nothing)) == []


@pytest.mark.parametrize("workers", [1, 3])
def test_any_number_of_workers(workers):
    assert [n for n, _ in ordered_map(_slow_when_odd, range(9), workers, FORK, _nothing)] == list(range(9))
