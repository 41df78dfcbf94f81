"""A throwaway PostgreSQL server for tests and benchmarks: Debian's server programs
(initdb, pg_ctl) on a loopback port, trust auth, fsync off, removed afterwards."""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa


def pg_binary(name: str) -> str | None:
    """A PostgreSQL server program from PATH or Debian's versioned folder."""
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found if isinstance(found, str) else (found[-1] if found else None)


def available() -> bool:
    return bool(pg_binary("initdb") and pg_binary("pg_ctl"))


@contextmanager
def postgres_server() -> Iterator[Callable[[], str]]:
    """A running server; yields a function making a fresh empty database (its URL)."""
    initdb, pg_ctl = pg_binary("initdb"), pg_binary("pg_ctl")
    if not (initdb and pg_ctl):
        raise RuntimeError("PostgreSQL server programs not installed (Debian package postgresql)")
    # Not under pytest's tmp dirs: their parents are private to root.
    base = Path(tempfile.mkdtemp(prefix="trainer-pg-"))
    # The server refuses to run as root: run it as Debian's postgres user then.
    user = "postgres" if os.geteuid() == 0 else None
    if user:
        shutil.chown(base, user)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = base / "data"
    run = {"user": user, "check": True, "capture_output": True}
    subprocess.run([initdb, "-D", str(data), "-U", "postgres", "--auth=trust"], **run)
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [pg_ctl, "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start"], **run
    )
    admin = sa.create_engine(
        f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", isolation_level="AUTOCOMMIT"
    )
    counter = itertools.count()

    def fresh_database() -> str:
        name = f"trainer_{next(counter)}"
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
        return f"postgresql://postgres@127.0.0.1:{port}/{name}"

    try:
        yield fresh_database
    finally:
        admin.dispose()
        subprocess.run([pg_ctl, "-D", str(data), "-m", "immediate", "stop"], **run)
        shutil.rmtree(base, ignore_errors=True)
