"""One-time links: a random token in an address, its hash in the store, good once and for a
while. `make run` prints the first admin's (only while there is no admin, so without it nobody
can make one); an admin makes a password reset's for an account."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from trainer.core.base.errors import AccountError
from trainer.core.base.names import plain_name
from trainer.store.accounts.logins import Logins, start_login
from trainer.store.accounts.passwords import hash_password
from trainer.store.accounts.records import find, revoke_logins, token_hash
from trainer.store.db.schema import login_links, people

FIRST_ADMIN, RESET = "first-admin", "reset"
LINK_LIFETIME = timedelta(hours=24)
USED = "this link is unknown, used or out of date: ask for a new one"


class Links:
    """One-time links; they log in through logins (its clock and lifetime)."""

    def __init__(self, logins: Logins) -> None:
        self.logins = logins
        self.store = logins.store

    def first_admin(self) -> str | None:
        """A new link that makes the first admin (earlier ones stop working); None once there
        is an admin."""
        with self.store.transaction() as conn:
            if _admin_exists(conn):
                return None
            conn.execute(login_links.delete().where(login_links.c.purpose == FIRST_ADMIN))
            return self._make(conn, FIRST_ADMIN, None)

    def reset(self, name: str) -> str:
        """A link that sets the account's password (and logs it in), once."""
        with self.store.transaction() as conn:
            row = find(conn, name)
            if row is None:
                raise AccountError(f"no account named {name!r}")
            return self._make(conn, RESET, row.id)

    def purpose(self, token: str) -> tuple[str, str | None] | None:
        """What a live link is for, and whose it is (a reset's account); None if it is not."""
        query = (
            sa.select(login_links.c.purpose, people.c.name)
            .outerjoin(people, people.c.id == login_links.c.person_id)
            .where(*self._live(token))
        )
        with self.store.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else (row.purpose, row.name)

    def make_first_admin(self, token: str, name: str, password: str) -> str:
        """Use a first-admin link: the admin account, logged in; the login's token."""
        name, hashed = plain_name(name, AccountError), hash_password(password)
        with self.store.transaction() as conn:
            self._use(conn, token, FIRST_ADMIN)
            if _admin_exists(conn) or find(conn, name) is not None:
                raise AccountError(USED if _admin_exists(conn) else f"{name!r} is taken")
            person_id = conn.execute(
                people.insert()
                .values(name=name, role="admin", password_hash=hashed)
                .returning(people.c.id)
            ).scalar_one()
            return self._log_in(conn, person_id)

    def reset_password(self, token: str, password: str) -> str:
        """Use a reset link: the new password, every old login ended, a new one; its token."""
        hashed = hash_password(password)
        with self.store.transaction() as conn:
            person_id = self._use(conn, token, RESET)
            conn.execute(
                people.update().where(people.c.id == person_id).values(password_hash=hashed)
            )
            revoke_logins(conn, person_id, self.logins.clock())
            return self._log_in(conn, person_id)

    def _make(self, conn: Connection, purpose: str, person_id: int | None) -> str:
        token = secrets.token_urlsafe(32)
        when = self.logins.clock()
        conn.execute(
            login_links.insert().values(
                token_hash=token_hash(token),
                purpose=purpose,
                person_id=person_id,
                created_at=when,
                expires_at=when + LINK_LIFETIME,
            )
        )
        return token

    def _live(self, token: str) -> tuple[sa.ColumnElement[bool], ...]:
        return (
            login_links.c.token_hash == token_hash(token),
            login_links.c.used_at.is_(None),
            login_links.c.expires_at > self.logins.clock(),
        )

    def _use(self, conn: Connection, token: str, purpose: str) -> int | None:
        """Spend the link (an update that only one user of it can win); its account."""
        spent = conn.execute(
            login_links.update()
            .where(*self._live(token), login_links.c.purpose == purpose)
            .values(used_at=self.logins.clock())
            .returning(login_links.c.person_id)
        ).first()
        if spent is None:
            raise AccountError(USED)
        return spent.person_id

    def _log_in(self, conn: Connection, person_id: int) -> str:
        token = secrets.token_urlsafe(32)
        start_login(conn, person_id, token, self.logins.clock(), self.logins.lifetime)
        return token


def _admin_exists(conn: Connection) -> bool:
    query = sa.select(people.c.id).where(people.c.role == "admin", ~people.c.disabled).limit(1)
    return conn.execute(query).first() is not None
