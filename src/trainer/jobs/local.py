"""Review jobs on this machine with the default store (SQLite): worker processes of our own.

Nothing to install or start: the app and the CLI start workers when they queue a job, and a
worker leaves once nothing has been queued for `worker_idle_s` (TRAINER_WORKER_IDLE_S,
default 5 minutes): until then it is warm, and the next job starts within a poll. Each
worker holds a slot, an exclusive lock on a file in the data directory's `workers` folder;
the kernel lets go of it when the process ends, however it ends, so held slots are live
workers and no more than job_workers run at once.
A job whose worker is gone (its process no longer exists, or silent for three heartbeats) is
queued again by the next worker that looks for work.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from trainer.core.base.errors import StoreError
from trainer.core.base.private import private_dir, private_open
from trainer.core.base.settings import Settings
from trainer.jobs.runner import RetryLater, run_job, worker_name
from trainer.store.jobs.job_store import JobStore
from trainer.store.jobs.purge import purge

POLL_S = 0.1  # how often an idle worker looks for a queued job (two small reads)
STARTING_S = 60.0  # a spawned worker that holds no slot by then is not waited for
PURGE_EVERY_S = 3600.0  # how often an idle worker removes what is past keeping (purge.py)

log = logging.getLogger(__name__)


def slots_dir(settings: Settings) -> Path:
    return settings.data_dir / "workers"


def take_slot(settings: Settings) -> IO[str] | None:
    """A free worker slot, held while the returned file stays open; None when all are taken."""
    folder = slots_dir(settings)
    private_dir(folder)
    # This worker has started, with or without a slot: no longer counted as starting.
    (folder / f"starting-{os.getpid()}").unlink(missing_ok=True)
    for k in range(settings.job_workers):
        f = private_open(folder / f"slot-{k}.lock", "a")
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.close()
            continue
        return f
    return None


def live_workers(settings: Settings) -> int:
    """Worker processes holding a slot now."""
    folder = slots_dir(settings)
    held = 0
    for path in folder.glob("slot-*.lock") if folder.is_dir() else ():
        with private_open(path, "a") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                held += 1
    return held


def start_workers(settings: Settings, wanted: int | None = None) -> int:
    """Start worker processes (detached, leaving when idle) until `wanted` run (default: the
    settings' job_workers); how many were started."""
    if wanted is not None:
        settings = dataclasses.replace(settings, job_workers=wanted)
    wanted = settings.job_workers
    folder = slots_dir(settings)
    private_dir(folder)
    with _held(folder / "start.lock"):
        missing = max(0, wanted - live_workers(settings) - _starting(folder))
        spawn(settings, missing)
    return missing


def _starting(folder: Path) -> int:
    """Workers spawned lately that have not reached their slot yet. A worker takes seconds to
    load before it holds a slot, and a page asks for workers on every rerun: without these,
    each rerun in that time would spawn more."""
    count = 0
    for marker in folder.glob("starting-*"):
        pid = marker.name.removeprefix("starting-")
        fresh = time.time() - marker.stat().st_mtime < STARTING_S
        if fresh and not is_dead(f"{socket.gethostname()}:{pid}"):
            count += 1
        else:
            marker.unlink(missing_ok=True)
    return count


def spawn(settings: Settings, n: int) -> None:
    """n detached `trainer worker --burst` processes for the settings' store."""
    folder = slots_dir(settings)
    private_dir(folder)
    env = settings.child_environ()
    for _ in range(n):
        with private_open(folder / "worker.log", "a") as log:
            child = subprocess.Popen(
                [sys.executable, "-m", "trainer", "worker", "--burst"],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # outlives a page rerun, a Ctrl-C of the batch
            )
        private_open(folder / f"starting-{child.pid}", "w").close()


@contextlib.contextmanager
def _held(path: Path) -> Iterator[None]:
    with private_open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        yield


def is_dead(worker: str | None) -> bool:
    """Whether a job's worker (host:pid) is a process of this host that no longer runs."""
    host, _, pid = (worker or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] in ("Z", "X")  # a zombie has ended


def work_here(settings: Settings, jobs: JobStore, burst: bool = False) -> int:
    """Run queued jobs one at a time until stopped (burst: until none has been queued for
    the settings' worker_idle_s), holding a slot; the number of jobs run. Without a free
    slot, returns 0 at once.

    SIGTERM or SIGINT stops the worker within a progress report: its job is queued again.
    """
    slot = take_slot(settings)
    if slot is None:
        return 0
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    me, ran = worker_name(), 0
    idle_since, purged_at = time.monotonic(), -PURGE_EVERY_S
    with slot:
        while not stop.is_set():
            if burst and time.monotonic() - idle_since > settings.worker_idle_s:
                break
            try:
                jobs.runs.requeue_stalled(3 * settings.worker_heartbeat_s, is_dead)
                job_id = jobs.next_queued()
                if job_id is None:
                    if time.monotonic() - purged_at >= PURGE_EVERY_S:
                        purge(jobs, settings.keep_days)
                        purged_at = time.monotonic()
                    stop.wait(POLL_S)
                    continue
                ran += (
                    run_job(jobs, job_id, settings.job_tries, me, stopping=stop.is_set) is not None
                )
            except RetryLater:
                pass  # queued again by run_job
            except StoreError as exc:  # the store busy or away for a moment: try again
                log.warning("%s", exc)
                stop.wait(1.0)
                continue
            idle_since = time.monotonic()
    return ran
