"""The attempt store: people, techniques, every attempt and each technique's reference.

SQLAlchemy Core over any database URL; by default an SQLite file in the data directory.
Each attempt is written in one transaction, so a killed process leaves no half-written row;
`transaction()` gives the features built on the store (jobs, sessions) the same.
The tables are in db/schema.py, their history in db/migrations.py, the attempts' SQL in
attempts/.
"""

from __future__ import annotations

import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

from trainer.core.base.errors import StoreError
from trainer.core.base.fields import MAX_ID
from trainer.core.base.settings import Settings
from trainer.core.comparing.history import ScoreHistory
from trainer.core.comparing.reference import Reference
from trainer.core.judging.verdict import Review
from trainer.core.path.calibration import Calibration
from trainer.core.track import Track
from trainer.store.attempts import queries as q
from trainer.store.attempts import writes as w
from trainer.store.attempts.records import Attempt, AttemptSummary, StoredReference, TechniqueRow
from trainer.store.attempts.videos import KeptVideos
from trainer.store.db.engine import DEFAULT_LOCK_WAIT_S, make_engine
from trainer.store.db.migrations import LATEST_VERSION, current_version, migrate
from trainer.store.db.problems import describe, safe_url
from trainer.store.db.schema import KINDS, PRACTICE_KINDS, ROLES, check_choice, people


class Store:
    """Attempts in a database; open with a URL, or from Settings with `Store.open`."""

    def __init__(
        self,
        url: str,
        video_dir: Path | None = None,
        *,
        read_only: bool = False,
        lock_wait_s: float = DEFAULT_LOCK_WAIT_S,
    ) -> None:
        """Open the store; read_only opens it for reading only and creates nothing."""
        self.url = url
        self.read_only = read_only
        self._lock_wait_s = lock_wait_s
        self._engine = make_engine(url, read_only=read_only, lock_wait_s=lock_wait_s)
        self.videos = KeptVideos(video_dir, in_database=self._engine.dialect.name != "sqlite")
        self.video_dir = self.videos.root
        self._writer = self._engine.execution_options(writer=True)
        # An in-memory database is one connection shared by all threads: take turns on it.
        shared = isinstance(self._engine.pool, StaticPool)
        self._turn: AbstractContextManager[Any] = threading.RLock() if shared else nullcontext()
        try:
            self.version = self._up_to_date(shared)
        except SQLAlchemyError as exc:
            self._engine.dispose()
            raise StoreError(describe(exc, url, "open")) from None

    def _up_to_date(self, in_memory: bool) -> int:
        """The schema's version, after migrating only if it is behind.

        The check is a plain read, so opening never waits for a writer. A read-only store
        that is behind is upgraded once through a writable engine of its own.
        """
        with self._turn, self._engine.connect() as conn:
            version = current_version(conn)
        if version >= LATEST_VERSION:
            return version
        if not self.read_only or in_memory:
            with self._turn:
                return migrate(self._engine)
        upgrade = make_engine(self.url, lock_wait_s=self._lock_wait_s)
        try:
            return migrate(upgrade)
        finally:
            upgrade.dispose()

    @classmethod
    def open(cls, settings: Settings | None = None, read_only: bool = False) -> Store:
        """The store the settings (by default the environment) point at."""
        s = settings or Settings.from_env()
        return cls(
            s.database_url, video_dir=s.video_dir, read_only=read_only, lock_wait_s=s.lock_wait_s
        )

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _safe_url(self) -> str:
        return safe_url(self.url)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A connection in one write transaction: committed when the block ends, rolled back
        (nothing written) when it raises. Database errors come out as StoreError."""
        if self.read_only:
            raise StoreError(f"the attempt store at {self._safe_url()} is open for reading only")
        try:
            with self._turn, self._writer.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(describe(exc, self.url, "write to")) from None

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection to read with: it never waits for a writer. Database errors come out as
        StoreError."""
        try:
            with self._turn, self._engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(describe(exc, self.url, "read")) from None

    def compact(self) -> None:
        """SQLite: fold the write-ahead log into the file and rebuild it, so the pages of
        deleted rows are gone from the disk too (outside any transaction, as SQLite needs)."""
        if self.read_only or sa.make_url(self.url).get_backend_name() != "sqlite":
            return
        try:
            with self._turn, self._engine.connect() as conn:
                raw = conn.connection.dbapi_connection
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                raw.execute("VACUUM")
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except (SQLAlchemyError, sqlite3.Error) as exc:
            raise StoreError(f"could not compact {self._safe_url()}: {exc}") from None

    # People and techniques

    def add_person(self, name: str, role: str = "student") -> str:
        """Add a person with role; a known person keeps theirs (only `set_role` changes it,
        so typing an instructor's name never makes them a student). The person's role."""
        check_choice("role", role, ROLES)
        with self.transaction() as conn:
            return w.role(conn, w.person_id(conn, name, role))

    def set_role(self, name: str, role: str) -> None:
        """Change a known person's role."""
        check_choice("role", role, ROLES)
        with self.transaction() as conn:
            w.set_role(conn, name, role)

    def list_people(self) -> list[tuple[str, str]]:
        """(name, role) of everyone, by name."""
        with self.connect() as conn:
            rows = conn.execute(sa.select(people.c.name, people.c.role).order_by(people.c.name))
            return [(r.name, r.role) for r in rows]

    # Attempts

    def save_attempt(
        self,
        *,
        person: str,
        technique: str,
        kind: str,
        track: Track,
        calibration: Calibration,
        review: Review | None = None,
        score: float | None = None,
        video: Path | None = None,
        keep_video: bool = False,
        created_at: datetime | None = None,
        reference: Reference | None = None,
        job_id: int | None = None,
    ) -> int:
        """Save one attempt (and its technique's new reference, if given) at once; its id.

        One transaction, after all is checked and serialized: a refusal writes nothing. The video
        is kept only with keep_video; a new person is a student (an instructor for a reference).
        """
        new = w.new_attempt(
            person=person,
            technique=technique,
            kind=kind,
            track=track,
            calibration=calibration,
            review=review,
            score=score,
            created_at=created_at,
            reference=reference,
            job_id=job_id,
        )
        kept = self.videos.keep(video) if keep_video and video is not None else None
        try:
            with self.transaction() as conn:
                if kept is not None and video is not None:
                    self.videos.put(conn, kept, video)
                return w.insert_attempt(conn, new, kept)
        except BaseException:
            self.videos.remove(kept)
            raise

    def load_attempt(self, attempt_id: int) -> Attempt:
        """The attempt whole, its calibration and review read back as objects."""
        _check_id(attempt_id)
        with self.connect() as conn:
            row = conn.execute(q.attempt_query(attempt_id)).one_or_none()
        if row is None:
            raise StoreError(f"no attempt with id {attempt_id}")
        return q.attempt(row, self.videos.name(row.video_path))

    def kept_video(self, attempt: Attempt) -> bytes | None:
        """The attempt's kept video whole (to show), None when none is kept."""
        with self.connect() as conn:
            return self.videos.read_bytes(conn, attempt.video)

    @contextmanager
    def kept_video_file(self, attempt: Attempt) -> Iterator[Path | None]:
        """The attempt's kept video as a file to read in the block (a private copy out of the
        database, gone after it); None when none is kept."""
        with tempfile.TemporaryDirectory(prefix="trainer-video-") as tmp:
            with self.connect() as conn:
                path = self.videos.local(conn, attempt.video, Path(tmp))
            yield path

    def delete_attempt(self, attempt_id: int) -> None:
        """Forget an attempt: its row, its kept video, and the reference made from it."""
        _check_id(attempt_id)
        with self.transaction() as conn:
            video = w.delete_attempt(conn, attempt_id)
            self.videos.delete(conn, video)
        self.videos.remove(video)

    def list_attempts(
        self,
        *,
        person: str | None = None,
        technique: str | None = None,
        kinds: tuple[str, ...] = KINDS,
    ) -> list[AttemptSummary]:
        """Attempts (without tracks), oldest first, optionally of one person or technique."""
        with self.connect() as conn:
            rows = conn.execute(q.summaries_query(person, technique, kinds)).all()
        return [q.summary(r) for r in rows]

    def history(self, person: str, technique: str | None = None) -> ScoreHistory:
        """One person's video and practice attempts over time."""
        if person not in {name for name, _ in self.list_people()}:
            raise StoreError(f"no person named {person!r}")
        rows = self.list_attempts(person=person, technique=technique, kinds=PRACTICE_KINDS)
        return q.history(person, rows)

    def technique_table(self, technique: str, sort_by: str = "best") -> list[TechniqueRow]:
        """Everyone who practised technique, one row each, highest sort_by first."""
        check_choice("sort_by", sort_by, q.TABLE_SORT_KEYS)
        with self.connect() as conn:
            rows = conn.execute(q.technique_table_query(technique)).all()
        return q.technique_rows(rows, sort_by)

    # References

    def set_reference(self, attempt_id: int, profile: dict[str, Any]) -> None:
        """Make a reference attempt its technique's reference, replacing the previous one."""
        _check_id(attempt_id)
        with self.transaction() as conn:
            technique_id = w.reference_technique(conn, attempt_id)
            w.replace_reference(conn, technique_id, attempt_id, profile)

    def reference(self, technique: str) -> StoredReference | None:
        with self.connect() as conn:
            row = conn.execute(q.reference_query(technique)).one_or_none()
        return None if row is None else q.stored_reference(row)


def _check_id(attempt_id: int) -> None:
    """Ids outside SQL's integer range are no attempt's (and would overflow the driver)."""
    if isinstance(attempt_id, bool) or not 1 <= attempt_id <= MAX_ID:
        raise StoreError(f"no attempt with id {attempt_id}")
