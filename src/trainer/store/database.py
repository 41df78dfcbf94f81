"""The attempt store: people, techniques, every attempt and each technique's reference.

SQLAlchemy Core over any database URL; by default an SQLite file in the data directory.
Each attempt is written in one transaction, so a killed process leaves no half-written row.
The schema is versioned by the ordered MIGRATIONS list; `schema_version` records each step.
"""

from __future__ import annotations

import io
import json
import shutil
import threading
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from trainer.core.errors import StoreError
from trainer.core.progress import Progress
from trainer.core.settings import Settings
from trainer.core.track import N_LANDMARKS, Track
from trainer.store.session_migration import _m5_sessions

KINDS = ("review", "practice", "reference")
ROLES = ("student", "instructor")
PRACTICE_KINDS = ("review", "practice")

metadata = sa.MetaData()

people = sa.Table(
    "people",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("role", sa.String(20), nullable=False),
)

techniques = sa.Table(
    "techniques",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
)

attempts = sa.Table(
    "attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
    sa.Column("technique_id", sa.Integer, sa.ForeignKey("techniques.id"), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("calibration", sa.JSON, nullable=False),
    sa.Column("track", sa.LargeBinary, nullable=False),
    sa.Column("review", sa.JSON(none_as_null=True), nullable=True),
    sa.Column("score", sa.Float, nullable=True),
    sa.Column("video_path", sa.String(500), nullable=True),
    sa.Column("duration_s", sa.Float, nullable=True),
    sa.Column("n_strokes", sa.Integer, nullable=True),
)

references = sa.Table(
    "references",
    metadata,
    sa.Column("technique_id", sa.Integer, sa.ForeignKey("techniques.id"), primary_key=True),
    sa.Column("attempt_id", sa.Integer, sa.ForeignKey("attempts.id"), nullable=False),
    sa.Column("profile", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)


MICRO = 1e6  # landmarks are stored in whole millionths of the frame, as the JSON's 6 decimals
NO_VALUE = np.iinfo(np.int32).min  # a landmark of a frame without a hand


def pack_track(track: Track) -> bytes:
    """The track's arrays, zip-deflated (np.savez_compressed); ~6x faster than JSON, ~half size.

    Times and thumb positions stay float64. Landmarks (most of the bytes) become int32
    millionths with their bytes regrouped (`_shuffle`), as exact as the JSON's 6 decimals.
    """
    buf = io.BytesIO()
    info = {"width": track.width, "height": track.height, "fps": track.fps, "meta": track.meta}
    scaled = np.clip(np.round(track.landmarks * MICRO), NO_VALUE + 1, -NO_VALUE - 1)
    landmarks = np.where(np.isnan(track.landmarks), NO_VALUE, np.nan_to_num(scaled))
    np.savez_compressed(
        buf,
        info=np.array(json.dumps(info)),
        t=track.t,
        thumb_px=track.thumb_px,
        landmarks=_shuffle(landmarks.astype("<i4")),
        confidence=track.confidence.astype(np.float32),
        handedness=track.handedness,
    )
    return buf.getvalue()


def unpack_track(blob: bytes) -> Track:
    with np.load(io.BytesIO(blob), allow_pickle=False) as z:
        info = json.loads(str(z["info"]))
        t = z["t"]
        raw = np.ascontiguousarray(z["landmarks"].T).view("<i4").reshape(len(t), N_LANDMARKS, 3)
        return Track(
            t=t,
            thumb_px=z["thumb_px"],
            landmarks=np.where(raw == NO_VALUE, np.nan, raw / MICRO),
            confidence=z["confidence"].astype(np.float64),
            handedness=z["handedness"],
            width=int(info["width"]),
            height=int(info["height"]),
            fps=float(info["fps"]),
            meta=dict(info["meta"]),
        )


def _shuffle(a: np.ndarray) -> np.ndarray:
    """(itemsize, N) uint8: byte k of every value in row k. High bytes of nearby values repeat,
    so grouped they deflate far better than interleaved with the noisy low bytes."""
    # Contiguous copy: np.save would write a bare transpose back in the original byte order.
    return np.ascontiguousarray(np.ascontiguousarray(a).view(np.uint8).reshape(-1, a.itemsize).T)


def _unpack_json_track(blob: bytes) -> Track:
    """The first format (migrations 1-3): zlib-compressed JSON of `Track.to_dict()`."""
    return Track.from_dict(json.loads(zlib.decompress(blob)))


UNREADABLE_TRACK = (zlib.error, zipfile.BadZipFile, ValueError, KeyError, OSError)


def count_strokes(review: dict[str, Any] | None) -> int | None:
    """Number of strokes in a review JSON (its "strokes" list), None when it has none."""
    if not review or not isinstance(review.get("strokes"), list):
        return None
    return len(review["strokes"])


# Migrations: frozen history. A step may touch only what exists at its version.


def _m1_create_tables(conn: Connection) -> None:
    """The first schema: people, techniques, attempts, references."""
    m = sa.MetaData()
    sa.Table(
        "people",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
    )
    sa.Table(
        "techniques",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
    )
    sa.Table(
        "attempts",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("technique_id", sa.Integer, sa.ForeignKey("techniques.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("calibration", sa.JSON, nullable=False),
        sa.Column("track", sa.LargeBinary, nullable=False),
        sa.Column("review", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("video_path", sa.String(500), nullable=True),
    )
    sa.Table(
        "references",
        m,
        sa.Column("technique_id", sa.Integer, sa.ForeignKey("techniques.id"), primary_key=True),
        sa.Column("attempt_id", sa.Integer, sa.ForeignKey("attempts.id"), nullable=False),
        sa.Column("profile", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    m.create_all(conn)


def _m2_history_indexes(conn: Connection) -> None:
    """Indexes for the history and per-technique queries."""
    sa.Index("ix_attempts_person_time", attempts.c.person_id, attempts.c.created_at).create(conn)
    sa.Index("ix_attempts_technique_score", attempts.c.technique_id, attempts.c.score).create(conn)


def _m3_summary_columns(conn: Connection) -> None:
    """Duration and stroke count on each attempt, so lists never unpack tracks; backfilled."""
    conn.execute(sa.text("ALTER TABLE attempts ADD COLUMN duration_s FLOAT"))
    conn.execute(sa.text("ALTER TABLE attempts ADD COLUMN n_strokes INTEGER"))
    rows = conn.execute(sa.select(attempts.c.id, attempts.c.track, attempts.c.review)).all()
    for row in rows:
        values = {
            "duration_s": _unpack_json_track(row.track).duration_s,
            "n_strokes": count_strokes(row.review),
        }
        conn.execute(attempts.update().where(attempts.c.id == row.id).values(**values))


def _m4_binary_tracks(conn: Connection) -> None:
    """Tracks as compressed numpy arrays instead of JSON; one row in memory at a time."""
    ids = conn.execute(sa.select(attempts.c.id).order_by(attempts.c.id)).scalars().all()
    for attempt_id in ids:
        blob = conn.execute(
            sa.select(attempts.c.track).where(attempts.c.id == attempt_id)
        ).scalar_one()
        packed = pack_track(_unpack_json_track(blob))
        conn.execute(attempts.update().where(attempts.c.id == attempt_id).values(track=packed))


MIGRATIONS: list[Callable[[Connection], None]] = [
    _m1_create_tables,
    _m2_history_indexes,
    _m3_summary_columns,
    _m4_binary_tracks,
    _m5_sessions,
]
LATEST_VERSION = len(MIGRATIONS)
SCHEMA_LOCK_KEY = 0x7472_6169_6E65_72  # "trainer"


def current_version(conn: Connection) -> int:
    """The highest applied migration, 0 for an empty database."""
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0


def migrate(engine: Engine, target: int = LATEST_VERSION) -> int:
    """Apply the missing migrations up to target, each in its own transaction; the new version."""
    writer = engine.execution_options(writer=True)
    with writer.begin() as conn:
        _lock_schema(conn)
        schema_version.create(conn, checkfirst=True)
    version = 0
    for number, step in enumerate(MIGRATIONS[:target], start=1):
        with writer.begin() as conn:
            _lock_schema(conn)
            version = current_version(conn)
            if version >= number:
                continue
            step(conn)
            conn.execute(
                schema_version.insert().values(
                    version=number, name=step.__name__.split("_", 2)[2], applied_at=_now()
                )
            )
            version = number
    return version


def _lock_schema(conn: Connection) -> None:
    """Serialize migrations of processes opening one database at once, until commit.

    SQLite's BEGIN IMMEDIATE already does; PostgreSQL needs a transaction-level lock.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime) -> datetime:
    """SQLite hands datetimes back naive; they were stored as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def make_engine(url: str) -> Engine:
    """An engine for url; SQLite gets foreign keys, WAL and real (DDL-safe) transactions."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"invalid database URL {url!r}: {exc}") from None
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")  # the driver the project pins
    if parsed.get_backend_name() != "sqlite":
        try:
            return sa.create_engine(parsed, pool_pre_ping=True)
        except ImportError as exc:
            raise StoreError(
                f"no driver for {parsed.drivername} installed ({exc.name}): "
                "for PostgreSQL, pip install 'trainer[postgres]'"
            ) from None
    in_memory = parsed.database in (None, "", ":memory:")
    if in_memory:
        engine = sa.create_engine(
            parsed, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        folder = Path(parsed.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data folder {folder}: {exc.strerror}") from None
        engine = sa.create_engine(parsed, connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # pysqlite's own transaction handling skips DDL; take it over (SQLAlchemy's recipe).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the lock up front so two processes never deadlock upgrading a read lock.
        mode = "IMMEDIATE" if conn.get_execution_options().get("writer") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


@dataclass(frozen=True)
class Attempt:
    """One saved attempt, whole: what was tracked, how it was calibrated and reviewed."""

    id: int
    created_at: datetime
    person: str
    technique: str
    kind: str
    calibration: dict[str, Any]
    track: Track
    review: dict[str, Any] | None
    score: float | None
    video_path: Path | None


@dataclass(frozen=True)
class AttemptSummary:
    """One attempt without its track: a row of the history and of the CSV export."""

    id: int
    created_at: datetime
    person: str
    role: str
    technique: str
    kind: str
    score: float | None
    duration_s: float | None
    n_strokes: int | None
    video_kept: bool

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["created_at"] = self.created_at.isoformat()
        return d


@dataclass(frozen=True)
class TechniqueRow:
    """One person's standing on one technique (review and practice attempts only)."""

    person: str
    role: str
    attempts: int
    best: float | None
    mean: float | None
    latest: float | None
    last_at: datetime

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["last_at"] = self.last_at.isoformat()
        return d


@dataclass(frozen=True)
class StoredReference:
    """A technique's reference: the demonstration attempt and the profile built from it."""

    technique: str
    attempt_id: int
    profile: dict[str, Any]
    created_at: datetime


TABLE_SORT_KEYS = ("best", "mean", "latest", "attempts")


class Store:
    """Attempts in a database; open with a URL, or from Settings with `Store.open`."""

    def __init__(self, url: str, video_dir: Path | None = None) -> None:
        self.url = url
        self.video_dir = video_dir
        self._engine = make_engine(url)
        self._writer = self._engine.execution_options(writer=True)
        # An in-memory database is one connection shared by all threads: take turns on it.
        shared = isinstance(self._engine.pool, StaticPool)
        self._turn: AbstractContextManager[Any] = threading.RLock() if shared else nullcontext()
        try:
            self.version = migrate(self._engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open the attempt store at {self._safe_url()}: {exc}") from exc

    @classmethod
    def open(cls, settings: Settings | None = None) -> Store:
        """The store the settings (by default the environment) point at."""
        s = settings or Settings.from_env()
        return cls(s.database_url, video_dir=s.video_dir)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _safe_url(self) -> str:
        return sa.make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self._turn, self._writer.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"could not write to the attempt store: {exc}") from exc

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self._turn, self._engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"could not read the attempt store: {exc}") from exc

    # People and techniques

    def add_person(self, name: str, role: str = "student") -> None:
        """Create a person, or change the role of an existing one."""
        _check_choice("role", role, ROLES)
        with self._write() as conn:
            pid = _person_id(conn, name, role)
            conn.execute(people.update().where(people.c.id == pid).values(role=role))

    def list_people(self) -> list[tuple[str, str]]:
        """(name, role) of everyone, by name."""
        with self._read() as conn:
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
        calibration: dict[str, Any],
        review: dict[str, Any] | None = None,
        score: float | None = None,
        video: Path | None = None,
        keep_video: bool = False,
        created_at: datetime | None = None,
    ) -> int:
        """Save one attempt in one transaction; its id.

        The raw video is copied into the store's video folder only when keep_video is set;
        the track and the review are enough for every report and comparison.
        A new person is a student, or an instructor when the attempt is a reference.
        """
        _check_choice("kind", kind, KINDS)
        blob = pack_track(track)
        kept = self._keep_video(video) if keep_video and video is not None else None
        try:
            with self._write() as conn:
                pid = _person_id(conn, person, "instructor" if kind == "reference" else "student")
                if kind == "reference" and _role(conn, pid) != "instructor":
                    raise StoreError(f"{person} is not an instructor: a reference needs one")
                row = conn.execute(
                    attempts.insert()
                    .values(
                        created_at=_utc(created_at or _now()).astimezone(UTC),
                        person_id=pid,
                        technique_id=_technique_id(conn, technique),
                        kind=kind,
                        calibration=calibration,
                        track=blob,
                        review=review,
                        score=None if score is None else float(score),
                        video_path=None if kept is None else str(kept),
                        duration_s=track.duration_s,
                        n_strokes=count_strokes(review),
                    )
                    .returning(attempts.c.id)
                ).one()
        except BaseException:
            if kept is not None:
                kept.unlink(missing_ok=True)
            raise
        return int(row.id)

    def _keep_video(self, video: Path) -> Path:
        if self.video_dir is None:
            raise StoreError("this store has no video folder: cannot keep the video")
        if not video.is_file():
            raise StoreError(f"video to keep not found: {video}")
        self.video_dir.mkdir(parents=True, exist_ok=True)
        target = self.video_dir / f"{uuid.uuid4().hex}{video.suffix.lower()}"
        shutil.copyfile(video, target)
        return target

    def load_attempt(self, attempt_id: int) -> Attempt:
        query = (
            sa.select(attempts, people.c.name.label("person"), techniques.c.name.label("tech"))
            .join(people, people.c.id == attempts.c.person_id)
            .join(techniques, techniques.c.id == attempts.c.technique_id)
            .where(attempts.c.id == attempt_id)
        )
        with self._read() as conn:
            row = conn.execute(query).one_or_none()
        if row is None:
            raise StoreError(f"no attempt with id {attempt_id}")
        try:
            track = unpack_track(row.track)
        except UNREADABLE_TRACK as exc:
            raise StoreError(f"attempt {attempt_id} has an unreadable track: {exc}") from exc
        return Attempt(
            id=row.id,
            created_at=_utc(row.created_at),
            person=row.person,
            technique=row.tech,
            kind=row.kind,
            calibration=row.calibration,
            track=track,
            review=row.review,
            score=row.score,
            video_path=None if row.video_path is None else Path(row.video_path),
        )

    def delete_attempt(self, attempt_id: int) -> None:
        """Forget an attempt: its row, its kept video, and the reference made from it."""
        with self._write() as conn:
            video = conn.execute(
                sa.select(attempts.c.video_path).where(attempts.c.id == attempt_id)
            ).one_or_none()
            if video is None:
                raise StoreError(f"no attempt with id {attempt_id}")
            conn.execute(references.delete().where(references.c.attempt_id == attempt_id))
            conn.execute(attempts.delete().where(attempts.c.id == attempt_id))
        if video.video_path is not None:
            Path(video.video_path).unlink(missing_ok=True)

    def list_attempts(
        self,
        *,
        person: str | None = None,
        technique: str | None = None,
        kinds: tuple[str, ...] = KINDS,
    ) -> list[AttemptSummary]:
        """Attempts (without tracks), oldest first, optionally of one person or technique."""
        query = (
            sa.select(
                attempts.c.id,
                attempts.c.created_at,
                people.c.name.label("person"),
                people.c.role,
                techniques.c.name.label("technique"),
                attempts.c.kind,
                attempts.c.score,
                attempts.c.duration_s,
                attempts.c.n_strokes,
                attempts.c.video_path,
            )
            .join(people, people.c.id == attempts.c.person_id)
            .join(techniques, techniques.c.id == attempts.c.technique_id)
            .where(attempts.c.kind.in_(kinds))
            .order_by(attempts.c.created_at, attempts.c.id)
        )
        if person is not None:
            query = query.where(people.c.name == person)
        if technique is not None:
            query = query.where(techniques.c.name == technique)
        with self._read() as conn:
            rows = conn.execute(query).all()
        return [
            AttemptSummary(
                id=r.id,
                created_at=_utc(r.created_at),
                person=r.person,
                role=r.role,
                technique=r.technique,
                kind=r.kind,
                score=r.score,
                duration_s=r.duration_s,
                n_strokes=r.n_strokes,
                video_kept=r.video_path is not None,
            )
            for r in rows
        ]

    def progress(self, person: str, technique: str | None = None) -> Progress:
        """One person's review and practice attempts over time."""
        if person not in {name for name, _ in self.list_people()}:
            raise StoreError(f"no person named {person!r}")
        rows = self.list_attempts(person=person, technique=technique, kinds=PRACTICE_KINDS)
        return Progress(
            person=person,
            attempt_id=np.array([r.id for r in rows], dtype=np.int64),
            created_at=np.array(
                [r.created_at.astimezone(UTC).replace(tzinfo=None) for r in rows],
                dtype="datetime64[us]",
            ),
            score=np.array([np.nan if r.score is None else r.score for r in rows], float),
            technique=np.array([r.technique for r in rows], dtype=str),
        )

    def technique_table(self, technique: str, sort_by: str = "best") -> list[TechniqueRow]:
        """Everyone who practised technique, one row each, highest sort_by first."""
        _check_choice("sort_by", sort_by, TABLE_SORT_KEYS)
        a2 = attempts.alias("a2")
        latest = (
            sa.select(a2.c.score)
            .where(
                a2.c.person_id == attempts.c.person_id,
                a2.c.technique_id == attempts.c.technique_id,
                a2.c.kind.in_(PRACTICE_KINDS),
            )
            .order_by(a2.c.created_at.desc(), a2.c.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        query = (
            sa.select(
                people.c.name,
                people.c.role,
                sa.func.count(attempts.c.id).label("attempts"),
                sa.func.max(attempts.c.score).label("best"),
                sa.func.avg(attempts.c.score).label("mean"),
                sa.func.max(attempts.c.created_at).label("last_at"),
                latest.label("latest"),
            )
            .join(people, people.c.id == attempts.c.person_id)
            .join(techniques, techniques.c.id == attempts.c.technique_id)
            .where(techniques.c.name == technique, attempts.c.kind.in_(PRACTICE_KINDS))
            .group_by(people.c.name, people.c.role, attempts.c.person_id, attempts.c.technique_id)
        )
        with self._read() as conn:
            rows = conn.execute(query).all()
        table = [
            TechniqueRow(
                person=r.name,
                role=r.role,
                attempts=int(r.attempts),
                best=_opt_float(r.best),
                mean=_opt_float(r.mean),
                latest=_opt_float(r.latest),
                last_at=_utc(r.last_at),
            )
            for r in rows
        ]
        # Unscored rows last, then highest first, ties by name.
        table.sort(key=lambda row: row.person)
        table.sort(key=lambda row: _sort_value(getattr(row, sort_by)), reverse=True)
        return table

    # References

    def set_reference(self, attempt_id: int, profile: dict[str, Any]) -> None:
        """Make a reference attempt its technique's reference, replacing the previous one."""
        with self._write() as conn:
            row = conn.execute(
                sa.select(attempts.c.technique_id, attempts.c.kind).where(
                    attempts.c.id == attempt_id
                )
            ).one_or_none()
            if row is None:
                raise StoreError(f"no attempt with id {attempt_id}")
            if row.kind != "reference":
                raise StoreError(f"attempt {attempt_id} is a {row.kind}, not a reference")
            conn.execute(references.delete().where(references.c.technique_id == row.technique_id))
            conn.execute(
                references.insert().values(
                    technique_id=row.technique_id,
                    attempt_id=attempt_id,
                    profile=profile,
                    created_at=_now(),
                )
            )

    def reference(self, technique: str) -> StoredReference | None:
        query = (
            sa.select(references, techniques.c.name)
            .join(techniques, techniques.c.id == references.c.technique_id)
            .where(techniques.c.name == technique)
        )
        with self._read() as conn:
            row = conn.execute(query).one_or_none()
        if row is None:
            return None
        return StoredReference(
            technique=row.name,
            attempt_id=row.attempt_id,
            profile=row.profile,
            created_at=_utc(row.created_at),
        )


def _check_choice(what: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise StoreError(f"{what} must be one of {', '.join(allowed)}; got {value!r}")


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _sort_value(value: float | None) -> float:
    return -np.inf if value is None else float(value)


def _get_or_insert(conn: Connection, table: sa.Table, name: str, **values: Any) -> int:
    """The id of the row called name, inserted if missing (another writer may race us)."""
    query = sa.select(table.c.id).where(table.c.name == name)
    found = conn.execute(query).scalar()
    if found is not None:
        return int(found)
    try:
        with conn.begin_nested():
            conn.execute(table.insert().values(name=name, **values))
    except IntegrityError:
        pass
    return int(conn.execute(query).scalar_one())


def _person_id(conn: Connection, name: str, role: str) -> int:
    if not name.strip():
        raise StoreError("a person needs a name")
    return _get_or_insert(conn, people, name.strip(), role=role)


def _technique_id(conn: Connection, name: str) -> int:
    if not name.strip():
        raise StoreError("a technique needs a name")
    return _get_or_insert(conn, techniques, name.strip())


def _role(conn: Connection, person_id: int) -> str:
    return conn.execute(sa.select(people.c.role).where(people.c.id == person_id)).scalar_one()
