"""Wait handlers and Timer from ``py_utils``, exercised with real threads.

No assertion depends on how long anything took: waits that must succeed get a generous
``GUARD`` timeout that only stops a broken implementation from hanging the suite.
"""
from __future__ import annotations

import threading
from typing import Any, Callable

from py_utils.time.Timer import Timer
from py_utils.wait.BooleanWaitHandler import BooleanWaitHandler
from py_utils.wait.IntWaitHandler import IntWaitHandler
from py_utils.wait.WaitHandler import AwakeReason, WaitHandler

GUARD = 5.0


def watched(predicate: Callable[[Any], bool]) -> tuple[Callable[[Any], bool], threading.Event]:
    """Wrap ``predicate`` with an event set on its first call, i.e. once a waiter is inside ``wait``."""
    entered = threading.Event()

    def wrapper(value: Any) -> bool:
        entered.set()
        return predicate(value)

    return wrapper, entered


def in_thread(function: Callable[[], Any]) -> tuple[threading.Thread, list]:
    """Run ``function`` in a daemon thread; its return value is appended to the returned list."""
    results: list = []
    thread = threading.Thread(target=lambda: results.append(function()), daemon=True)
    thread.start()
    return thread, results


def finish(thread: threading.Thread, what: str) -> None:
    """Join ``thread``, failing with ``what`` if it is still running after ``GUARD`` seconds."""
    thread.join(GUARD)
    assert not thread.is_alive(), f"{what} still running after {GUARD} s"


def entered_wait(entered: threading.Event, what: str) -> None:
    """Block until a ``watched`` predicate reports that ``what`` is inside ``wait``."""
    assert entered.wait(GUARD), f"{what} never evaluated its predicate inside wait()"


def test_condition_met_when_another_thread_sets_the_value():
    handler = WaitHandler(init_value="idle")
    predicate, entered = watched(lambda value: value == "ready")
    waiter, results = in_thread(lambda: handler.wait(predicate, timeout=GUARD))
    entered_wait(entered, "waiter")
    handler.set_value("ready")
    finish(waiter, "waiter after set_value('ready')")
    assert results == [AwakeReason.condition_met]
    assert handler.get_value() == "ready"


def test_timeout_when_the_condition_never_holds():
    assert WaitHandler().wait(timeout=0.05) is AwakeReason.timeout
    assert WaitHandler(init_value=1).wait(lambda value: value == 2, timeout=0) is AwakeReason.timeout
    assert IntWaitHandler().wait_equal(5, timeout=0.01) is AwakeReason.timeout


def test_disabled_on_entry_wins_over_a_holding_predicate():
    handler = WaitHandler(enabled=False, init_value=1)
    assert not handler.enabled()
    assert handler.wait(lambda value: True, timeout=GUARD) is AwakeReason.disabled
    handler.enable()
    assert handler.enabled()
    assert handler.wait(lambda value: True, timeout=GUARD) is AwakeReason.condition_met
    assert AwakeReason.disabled.value == 0


def test_disable_wakes_a_waiting_thread():
    handler = WaitHandler()
    predicate, entered = watched(lambda value: False)
    waiter, results = in_thread(lambda: handler.wait(predicate))
    entered_wait(entered, "waiter")
    handler.disable()
    finish(waiter, "waiter after disable()")
    assert results == [AwakeReason.disabled]
    assert not handler.enabled()


def test_blocking_disable_returns_while_threads_wait():
    handler = WaitHandler()
    waiters = []
    for _ in range(3):
        predicate, entered = watched(lambda value: False)
        waiters.append(in_thread(lambda predicate=predicate: handler.wait(predicate)))
        entered_wait(entered, "waiter")
    disabler, _ = in_thread(handler.blocking_disable)
    finish(disabler, "blocking_disable() (deadlock?)")
    # White-box: the waiter counter is the only direct view of "no thread inside wait()".
    assert handler._waiters == 0, "blocking_disable() returned while a thread was inside wait()"
    for waiter, results in waiters:
        finish(waiter, "waiter after blocking_disable()")
        assert results == [AwakeReason.disabled]
    assert handler.wait(timeout=GUARD) is AwakeReason.disabled


def test_int_handler_follows_increase_and_decrease():
    handler = IntWaitHandler()
    step_one, step_two = threading.Event(), threading.Event()

    def driver() -> None:
        handler.increase()
        assert step_one.wait(GUARD), "test never released step one"
        handler.increase(2)
        assert step_two.wait(GUARD), "test never released step two"
        handler.decrease(3)

    thread, _ = in_thread(driver)
    assert handler.wait_greater_equal(1, timeout=GUARD) is AwakeReason.condition_met
    assert handler.get_value() == 1
    assert handler.wait_greater(1, timeout=0) is AwakeReason.timeout
    assert handler.wait_equal(1, timeout=0) is AwakeReason.condition_met
    step_one.set()
    assert handler.wait_greater(2, timeout=GUARD) is AwakeReason.condition_met
    assert handler.get_value() == 3
    step_two.set()
    assert handler.wait_equal(0, timeout=GUARD) is AwakeReason.condition_met
    finish(thread, "driver")


def test_tutorial_counting_pattern():
    n_jobs = 3
    waiter_job = IntWaitHandler(True)
    waiter_job.set_value(0)
    workers = [in_thread(waiter_job.increase)[0] for _ in range(n_jobs)]
    assert waiter_job.wait_equal(n_jobs, timeout=GUARD) is AwakeReason.condition_met
    for worker in workers:
        finish(worker, "worker")


def test_boolean_handler_opened_from_another_thread():
    handler = BooleanWaitHandler()
    assert handler.wait(timeout=0) is AwakeReason.timeout
    opener, _ = in_thread(handler.open)
    assert handler.wait(timeout=GUARD) is AwakeReason.condition_met
    finish(opener, "opener")
    handler.close()
    assert handler.get_value() is False
    assert handler.wait(timeout=0) is AwakeReason.timeout


def test_concurrent_increases_reach_the_exact_count():
    handler = IntWaitHandler()
    threads, per_thread = 8, 1000
    start = threading.Barrier(threads)

    def producer() -> None:
        start.wait(GUARD)
        for _ in range(per_thread):
            handler.increase()

    producers = [in_thread(producer)[0] for _ in range(threads)]
    total = threads * per_thread
    reason = handler.wait_equal(total, timeout=GUARD)
    assert reason is AwakeReason.condition_met, f"count stuck at {handler.get_value()} of {total}"
    for thread in producers:
        finish(thread, "producer")
    assert handler.get_value() == total


def test_timer_is_monotone_and_reset_restarts_it():
    outer = Timer()
    timer = Timer()
    first = timer.elapsed()
    second = timer.elapsed()
    assert 0 <= first <= second
    timer.reset()
    # ``timer`` restarted after ``outer`` started and is read first, so it cannot be ahead.
    assert 0 <= timer.elapsed() <= outer.elapsed()
