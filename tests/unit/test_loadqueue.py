"""The app server's load queue: one job at a time, in the order sent, with how many are ahead."""

from __future__ import annotations

import threading
import time

from cockpit.loadqueue import LoadQueue


def test_jobs_run_one_at_a_time_in_order_and_say_how_many_are_ahead():
    q = LoadQueue()
    gate = threading.Event()
    ran, running, overlap = [], [0], []

    def job(n):
        def run():
            running[0] += 1
            overlap.append(running[0])
            if n == 1:
                gate.wait(10)  # the first load is slow: the others wait behind it
            ran.append(n)
            running[0] -= 1
            return {"n": n}

        return run

    jobs = [q.submit(f"f{n}.csv", job(n)) for n in (1, 2, 3)]
    assert [q.ahead(j) for j in jobs] == [0, 1, 2]
    assert jobs[2].state == "queued" and q.waiting() == 3
    gate.set()
    for j in jobs:
        assert j.done.wait(10)
    assert ran == [1, 2, 3] and overlap == [1, 1, 1]
    assert [j.result for j in jobs] == [{"n": 1}, {"n": 2}, {"n": 3}]
    assert q.waiting() == 0
    q.stop()


def test_a_failing_job_is_reported_and_the_next_still_runs():
    q = LoadQueue()

    def boom():
        raise OSError("disk full")

    bad, good = q.submit("bad.csv", boom), q.submit("good.csv", lambda: {"ok": True})
    assert good.done.wait(10)
    assert (bad.state, bad.error) == ("failed", "disk full")
    assert (good.state, good.result) == ("done", {"ok": True})
    q.stop()


def test_after_the_last_waiting_load_the_queue_calls_its_hook_and_survives_its_failure():
    q = LoadQueue()
    gate, called = threading.Event(), []

    def hook():
        called.append(len(called))
        raise RuntimeError("a failing warm-up")

    q.after_each = hook
    first = q.submit("first", lambda: gate.wait(10) and {"n": 1})
    second = q.submit("second", lambda: {"n": 2})
    gate.set()
    assert second.done.wait(10) and first.state == second.state == "done"
    third = q.submit("third", lambda: {"n": 3})  # the hook's failure stopped nothing
    assert third.done.wait(10) and third.result == {"n": 3}
    deadline = time.monotonic() + 5
    while len(called) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert (
        len(called) == 2
    )  # once after "second" (none waiting), once after "third"; not after "first"
    q.stop()
