"""Logins: a browser holds a random token, the store a row with its hash, its account, its end
(a bounded lifetime) and its revocation. A token is good while its row says so, so a logout,
a password change or a disable ends it at once, everywhere.

Failed logins are counted per account and per address; past FREE_FAILURES in a row, each
further try waits twice as long as the last (up to MAX_WAIT_S), which makes guessing slow
without letting anyone lock an account out for long.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from trainer.core.base.errors import AccountError
from trainer.store.accounts.accounts import Accounts
from trainer.store.accounts.passwords import verify
from trainer.store.accounts.records import ACCOUNT_COLUMNS, Account, account, find, token_hash
from trainer.store.db.schema import as_utc, login_failures, logins, now, people
from trainer.store.store import Store

DEFAULT_LIFETIME = timedelta(hours=12)
FREE_FAILURES = 5
MAX_WAIT_S = 300.0
# A run of failures older than this is forgotten.
FAILURES_KEPT = timedelta(hours=1)
REFUSED = "wrong name or password"
DISABLED = "this account is disabled: ask an admin"
NO_SUCH_EMAIL = "no account here has the e-mail address your provider gave: ask an admin to add it"


class Logins:
    """Logins in a Store's database; clock is the time (a test moves it)."""

    def __init__(
        self,
        store: Store,
        lifetime: timedelta = DEFAULT_LIFETIME,
        clock: Callable[[], datetime] = now,
    ) -> None:
        self.store = store
        self.lifetime = lifetime
        self.clock = clock

    def with_password(self, name: str, password: str, address: str) -> str:
        """Log in by name and password from address (the browser's IP); the login's token.

        The same refusal for an unknown name and a wrong password, so it tells no names.
        """
        keys = (f"account:{name.strip().casefold()}", f"address:{address}")
        wait = max(self._wait(key) for key in keys)
        if wait > 0:
            raise AccountError(f"too many failed logins: try again in {wait:.0f} s")
        with self.store.connect() as conn:
            row = find(conn, name)
        if not verify(None if row is None else row.password_hash, password):
            self._failed(keys)
            raise AccountError(REFUSED)
        if row.disabled:
            raise AccountError(DISABLED)
        with self.store.transaction() as conn:
            conn.execute(login_failures.delete().where(login_failures.c.key == keys[0]))
        return self.start(row.id)

    def with_email(self, email: str) -> str:
        """Log in as the account with this e-mail address, which an identity provider has
        vouched for; the login's token. No account is ever made here: an admin adds it."""
        found = Accounts(self.store).by_email(email)
        if found is None:
            raise AccountError(NO_SUCH_EMAIL)
        if found.disabled:
            raise AccountError(DISABLED)
        return self.start(found.id)

    def start(self, person_id: int) -> str:
        """A new login for the account (after a password, a one-time link or the identity
        provider); its token, which only the browser keeps."""
        token = secrets.token_urlsafe(32)
        with self.store.transaction() as conn:
            start_login(conn, person_id, token, self.clock(), self.lifetime)
        return token

    def account(self, token: str | None) -> Account | None:
        """The account a token is a live login of; None for any other token."""
        if not token:
            return None
        query = (
            sa.select(*ACCOUNT_COLUMNS)
            .join(logins, logins.c.person_id == people.c.id)
            .where(
                logins.c.token_hash == token_hash(token),
                logins.c.revoked_at.is_(None),
                logins.c.expires_at > self.clock(),
                ~people.c.disabled,
            )
        )
        with self.store.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else account(row)

    def end(self, token: str | None) -> None:
        """Log out: the token is refused from now on, wherever it is replayed."""
        if not token:
            return
        with self.store.transaction() as conn:
            conn.execute(
                logins.update()
                .where(logins.c.token_hash == token_hash(token), logins.c.revoked_at.is_(None))
                .values(revoked_at=self.clock())
            )

    def _wait(self, key: str) -> float:
        """Seconds before key may try again."""
        with self.store.connect() as conn:
            row = conn.execute(sa.select(login_failures).where(login_failures.c.key == key)).first()
        if row is None or row.failures < FREE_FAILURES:
            return 0.0
        delay = min(2.0 ** (row.failures - FREE_FAILURES), MAX_WAIT_S)
        return max(0.0, (as_utc(row.last_at) - self.clock()).total_seconds() + delay)

    def _failed(self, keys: tuple[str, ...]) -> None:
        when = self.clock()
        with self.store.transaction() as conn:
            for key in keys:
                _count_failure(conn, key, when)


def start_login(
    conn: Connection, person_id: int, token: str, when: datetime, lifetime: timedelta
) -> None:
    conn.execute(
        logins.insert().values(
            token_hash=token_hash(token),
            person_id=person_id,
            created_at=when,
            expires_at=when + lifetime,
        )
    )


def _count_failure(conn: Connection, key: str, when: datetime) -> None:
    row = conn.execute(sa.select(login_failures).where(login_failures.c.key == key)).first()
    if row is None:
        conn.execute(login_failures.insert().values(key=key, failures=1, last_at=when))
        return
    stale = when - as_utc(row.last_at) > FAILURES_KEPT
    conn.execute(
        login_failures.update()
        .where(login_failures.c.key == key)
        .values(failures=1 if stale else row.failures + 1, last_at=when)
    )
