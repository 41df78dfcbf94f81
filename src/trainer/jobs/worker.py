"""`trainer worker`: worker processes for review jobs, one per core, at a lower priority.

On PostgreSQL each process is a Procrastinate worker; on SQLite, a local worker (local.py).
Workers run niced, so a live Practice session on the same machine keeps its frame rate.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

from trainer.core.base.settings import Settings
from trainer.store.jobs.job_store import JobStore

NICE = 10  # added to the worker's niceness: the scheduler favours anything interactive


def lower_priority() -> None:
    """Run this process at a lower CPU priority (nice +10)."""
    with contextlib.suppress(OSError):  # not allowed here: run at the normal priority
        os.nice(NICE)


def serve(settings: Settings, concurrency: int = 1, burst: bool = False) -> None:
    """Run review jobs in `concurrency` processes until stopped (burst: until none is left)."""
    if concurrency > 1:
        supervise(settings, concurrency, burst)
        return
    lower_priority()
    jobs = JobStore.open(settings)
    if jobs.local:
        from trainer.jobs.local import work_here

        work_here(settings, jobs, burst)
    else:
        from trainer.jobs.queue import run_worker

        run_worker(settings, burst)


def supervise(settings: Settings, n: int, burst: bool) -> None:
    """n single worker processes; one that dies is started again (unless burst)."""
    env = settings.child_environ(TRAINER_JOB_WORKERS=str(max(n, settings.job_workers)))
    command = [sys.executable, "-m", "trainer", "worker", "--concurrency", "1"]
    command += ["--burst"] if burst else []
    children = [subprocess.Popen(command, env=env) for _ in range(n)]
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop the children too
    try:
        while any(c.poll() is None for c in children) or not burst:
            if not burst:
                children = [
                    c if c.poll() is None else subprocess.Popen(command, env=env) for c in children
                ]
            time.sleep(1.0)
    finally:
        for c in children:
            if c.poll() is None:
                c.terminate()
        for c in children:
            c.wait()
