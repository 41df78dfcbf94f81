"""What an account reads back as, and the rows' SQL shared by accounts and logins."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from trainer.store.db.schema import logins, people


@dataclass(frozen=True)
class Account:
    """A person as an account: who they are and what they may do (their role)."""

    id: int
    name: str
    role: str
    email: str | None
    disabled: bool
    has_password: bool

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


ACCOUNT_COLUMNS = (
    people.c.id,
    people.c.name,
    people.c.role,
    people.c.email,
    people.c.disabled,
    people.c.password_hash,
)


def account(row: Row) -> Account:
    return Account(
        id=row.id,
        name=row.name,
        role=row.role,
        email=row.email,
        disabled=bool(row.disabled),
        has_password=row.password_hash is not None,
    )


def token_hash(token: str) -> str:
    """What the store keeps of a token: its SHA-256 (the token is random, so no salt is
    needed; a copy of the database gives no token back)."""
    return hashlib.sha256(token.encode()).hexdigest()


def revoke_logins(conn: Connection, person_id: int, when: datetime) -> None:
    """End every open login of the person (at a password change, a disable)."""
    conn.execute(
        logins.update()
        .where(logins.c.person_id == person_id, logins.c.revoked_at.is_(None))
        .values(revoked_at=when)
    )


def find(conn: Connection, name: str) -> Row | None:
    query = sa.select(*ACCOUNT_COLUMNS).where(people.c.name == name.strip())
    return conn.execute(query).first()
