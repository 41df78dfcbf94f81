"""The store as one account sees it: attempts, references, guided sessions; jobs in jobs.py."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from trainer.core.base.errors import AccountError, StoreError
from trainer.core.base.fields import MAX_ID
from trainer.core.comparing.history import ScoreHistory
from trainer.core.comparing.reference import Reference
from trainer.core.guided.session import GuidedSession
from trainer.core.judging.verdict import Review
from trainer.core.path.calibration import Calibration
from trainer.core.track import Track
from trainer.store.accounts.accounts import Accounts
from trainer.store.accounts.records import Account
from trainer.store.attempts.records import Attempt, AttemptSummary, StoredReference, TechniqueRow
from trainer.store.db.schema import KINDS, attempts, memberships, people, references
from trainer.store.sessions import guided
from trainer.store.store import Store

TEACHERS = ("instructor", "admin")


class Scope:
    """What actor may see and do in store; every refusal of a row reads as its absence."""

    def __init__(self, store: Store, actor: Account) -> None:
        self.store = store
        self.actor = actor

    # Who is whose

    def people(self) -> dict[str, str]:
        """Name -> role of everyone the actor may see: themselves; an instructor's students;
        for an admin, everyone."""
        query = sa.select(people.c.name, people.c.role).order_by(people.c.name)
        if self.actor.role == "instructor":
            classes = sa.select(memberships.c.class_id).where(
                memberships.c.person_id == self.actor.id
            )
            students = sa.select(memberships.c.person_id).where(memberships.c.class_id.in_(classes))
            query = query.where(
                (people.c.id == self.actor.id)
                | ((people.c.role == "student") & people.c.id.in_(students))
            )
        elif not self.actor.is_admin:
            query = query.where(people.c.id == self.actor.id)
        with self.store.connect() as conn:
            return {r.name: r.role for r in conn.execute(query)}

    def sees(self, person: str) -> bool:
        return person.strip() in self.people()

    @property
    def teaches(self) -> bool:
        """Instructors and admins make references and review classes."""
        return self.actor.role in TEACHERS

    def accounts(self) -> Accounts:
        """The accounts and classes, for an admin only."""
        if not self.actor.is_admin:
            raise AccountError("only an admin manages accounts and classes")
        return Accounts(self.store)

    # Attempts

    def list_attempts(
        self,
        *,
        person: str | None = None,
        technique: str | None = None,
        kinds: tuple[str, ...] = KINDS,
    ) -> list[AttemptSummary]:
        seen = self.people()
        if person is not None and person not in seen:
            return []
        found = self.store.list_attempts(person=person, technique=technique, kinds=kinds)
        return [a for a in found if a.person in seen]

    def load_attempt(self, attempt_id: int) -> Attempt:
        """An attempt of someone the actor sees, or a technique's current reference."""
        owner = self._owner(attempt_id)
        if owner not in self.people() and not (owner and self._is_reference(attempt_id)):
            raise StoreError(f"no attempt with id {attempt_id}")
        return self.store.load_attempt(attempt_id)

    def kept_video(self, attempt: Attempt) -> bytes | None:
        """The kept video of an attempt the actor may load (read again by its id)."""
        return self.store.kept_video(self.load_attempt(attempt.id))

    def kept_video_file(self, attempt: Attempt) -> AbstractContextManager[Path | None]:
        """As kept_video, as a file to read in a with block (Store.kept_video_file)."""
        return self.store.kept_video_file(self.load_attempt(attempt.id))

    def delete_attempt(self, attempt_id: int) -> None:
        self._own_attempt(attempt_id)
        self.store.delete_attempt(attempt_id)

    def history(self, person: str, technique: str | None = None) -> ScoreHistory:
        if not self.sees(person):
            raise StoreError(f"no person named {person!r}")
        return self.store.history(person, technique)

    def technique_table(self, technique: str, sort_by: str = "best") -> list[TechniqueRow]:
        seen = self.people()
        return [r for r in self.store.technique_table(technique, sort_by) if r.person in seen]

    def save_attempt(
        self,
        *,
        technique: str,
        kind: str,
        track: Track,
        calibration: Calibration,
        person: str | None = None,
        review: Review | None = None,
        score: float | None = None,
        video: Path | None = None,
        keep_video: bool = False,
        reference: Reference | None = None,
        created_at: datetime | None = None,
        job_id: int | None = None,
    ) -> int:
        """Save for person (by default the actor), who must be someone the actor sees and
        already in the store; a reference only by an instructor or an admin. A job's result
        is saved by its worker, never through a scope (job_id is refused)."""
        if job_id is not None:
            raise StoreError("a review job's result is saved by its worker")
        person = self.check_new(person or self.actor.name, kind)
        return self.store.save_attempt(
            person=person,
            technique=technique,
            kind=kind,
            track=track,
            calibration=calibration,
            review=review,
            score=score,
            video=video,
            keep_video=keep_video,
            reference=reference if kind == "reference" else None,
            created_at=created_at,
        )

    def check_new(self, person: str, kind: str) -> str:
        """The person a new attempt (or job) of kind may be saved for; refuses the rest."""
        person = person.strip()
        if not self.sees(person):
            raise StoreError(f"no person named {person!r}")
        if kind == "reference" and not self.teaches:
            raise StoreError("only an instructor makes references")
        return person

    # References

    def reference(self, technique: str) -> StoredReference | None:
        return self.store.reference(technique)

    def set_reference(self, attempt_id: int, profile: dict[str, Any]) -> None:
        if not self.teaches:
            raise StoreError("only an instructor makes references")
        self._own_attempt(attempt_id)
        self.store.set_reference(attempt_id, profile)

    # Guided sessions

    def save_session(self, guide: GuidedSession) -> int:
        """A guided session is always the actor's own."""
        return guided.save_session(self.store, guide, self.actor.name)

    def list_sessions(self, person: str | None = None) -> list[guided.StoredSession]:
        seen = self.people()
        return [s for s in guided.list_sessions(self.store, person) if s.person in seen]

    def has_sessions(self, routine: str) -> bool:
        return guided.has_sessions(self.store, self.actor.name, routine)

    def _own_attempt(self, attempt_id: int) -> None:
        """Refuse, as missing, an attempt of someone the actor does not see."""
        if self._owner(attempt_id) not in self.people():
            raise StoreError(f"no attempt with id {attempt_id}")

    def _owner(self, attempt_id: int) -> str | None:
        """Whose the attempt is; None when there is none (or the id cannot be one)."""
        if isinstance(attempt_id, bool) or not 1 <= attempt_id <= MAX_ID:
            return None
        query = (
            sa.select(people.c.name)
            .join(attempts, attempts.c.person_id == people.c.id)
            .where(attempts.c.id == attempt_id)
        )
        with self.store.connect() as conn:
            return conn.execute(query).scalar()

    def _is_reference(self, attempt_id: int) -> bool:
        query = sa.select(references.c.attempt_id).where(references.c.attempt_id == attempt_id)
        with self.store.connect() as conn:
            return conn.execute(query).first() is not None
