"""Loads sent to the app server wait in one queue and are applied one at a time, in order.

Each load is a job: queued (with how many are ahead), running, done (with its report) or
failed. Reads never wait for the queue: they read the last committed version.

One queue per process (`shared()`): the API's POST /api/loads and the Data page's Load
button both put their loads in it, so a page load waits behind an API load and the reverse.
A job decides duplicate and replace when it runs (cockpit.ingest.commit), with the ledger as
the jobs before it left it, not as it was when its file was checked.
"""

from __future__ import annotations

import contextlib
import itertools
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Job:
    id: int
    describe: str
    run: Callable[[], dict]
    state: str = "queued"  # queued | running | done | failed
    result: dict | None = None
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event)


class LoadQueue:
    """A FIFO of load jobs served by one worker thread."""

    KEEP = 200  # finished jobs remembered for polling

    def __init__(self) -> None:
        self._q: queue.Queue[Job | None] = queue.Queue()
        self._jobs: dict[int, Job] = {}
        self._order: list[int] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.stopped = False
        # Called (on the worker) after each load once none waits: the server warms the new
        # version's default view with it. A failure there never touches the loads.
        self.after_each: Callable[[], None] | None = None
        self._worker = threading.Thread(target=self._serve, name="cockpit-loads", daemon=True)
        self._worker.start()

    def submit(self, describe: str, run: Callable[[], dict]) -> Job:
        with self._lock:
            job = Job(next(self._ids), describe, run)
            self._jobs[job.id] = job
            self._order.append(job.id)
            self._forget_old()
        self._q.put(job)
        return job

    def get(self, job_id: int) -> Job | None:
        return self._jobs.get(job_id)

    def ahead(self, job: Job) -> int:
        """How many loads run or wait before `job`."""
        with self._lock:
            earlier = [self._jobs[i] for i in self._order if i < job.id and i in self._jobs]
        return sum(1 for j in earlier if j.state in ("queued", "running"))

    def waiting(self) -> int:
        return sum(1 for j in list(self._jobs.values()) if j.state in ("queued", "running"))

    def stop(self) -> None:
        self.stopped = True
        self._q.put(None)

    def _serve(self) -> None:
        while True:
            job = self._q.get()
            if job is None:
                return
            job.state = "running"
            try:
                job.result = job.run()
                job.state = "done"
            except Exception as exc:  # noqa: BLE001 - reported to the caller, never lost
                job.error = str(exc) or type(exc).__name__
                job.state = "failed"
            finally:
                job.done.set()
            if self.after_each is not None and self._q.empty():
                # Speed only: a failure there must not stop the loads.
                with contextlib.suppress(Exception):
                    self.after_each()

    def _forget_old(self) -> None:
        finished = [i for i in self._order if self._jobs[i].state in ("done", "failed")]
        for i in finished[: max(0, len(finished) - self.KEEP)]:
            self._order.remove(i)
            del self._jobs[i]


_SHARED: LoadQueue | None = None
_SHARED_LOCK = threading.Lock()


def shared() -> LoadQueue:
    """The process's one load queue (a new one if the last was stopped)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None or not _SHARED._worker.is_alive() or _SHARED.stopped:
            _SHARED = LoadQueue()
        return _SHARED
