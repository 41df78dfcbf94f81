"""Accounts and classes: adding people who can log in, their passwords, roles and e-mail,
disabling them, and who is in which class. Changing a password or disabling an account ends
its logins at once (they are rows: see logins.py)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from trainer.core.base.errors import AccountError
from trainer.core.base.names import plain_name
from trainer.store.accounts.passwords import hash_password
from trainer.store.accounts.records import ACCOUNT_COLUMNS, Account, account, find, revoke_logins
from trainer.store.db.schema import ROLES, check_choice, classes, memberships, now, people
from trainer.store.store import Store


class Accounts:
    """The store's accounts and classes."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(
        self,
        name: str,
        role: str = "student",
        *,
        password: str | None = None,
        email: str | None = None,
    ) -> Account:
        """A new account; a person already in the store without one (from before accounts)
        becomes it. A password or an e-mail is what lets it log in."""
        name = plain_name(name, AccountError)
        check_choice("role", role, ROLES)
        values = {
            "role": role,
            "password_hash": None if password is None else hash_password(password),
            "email": _clean_email(email),
        }
        with self.store.transaction() as conn:
            row = find(conn, name)
            if row is not None and (row.password_hash or row.email):
                raise AccountError(f"there is already an account named {name!r}")
            _check_email_free(conn, values["email"], None if row is None else row.id)
            if row is None:
                conn.execute(people.insert().values(name=name, **values))
            else:
                conn.execute(people.update().where(people.c.id == row.id).values(**values))
            return account(find(conn, name))

    def get(self, name: str) -> Account:
        with self.store.connect() as conn:
            row = find(conn, name)
        if row is None:
            raise AccountError(f"no account named {name!r}")
        return account(row)

    def by_id(self, person_id: int) -> Account | None:
        with self.store.connect() as conn:
            row = conn.execute(sa.select(*ACCOUNT_COLUMNS).where(people.c.id == person_id)).first()
        return None if row is None else account(row)

    def by_email(self, email: str) -> Account | None:
        """The account an identity provider's e-mail address names (case does not matter)."""
        query = sa.select(*ACCOUNT_COLUMNS).where(people.c.email == _clean_email(email))
        with self.store.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else account(row)

    def list(self) -> list[Account]:
        with self.store.connect() as conn:
            rows = conn.execute(sa.select(*ACCOUNT_COLUMNS).order_by(people.c.name)).all()
        return [account(r) for r in rows]

    def has_admin(self) -> bool:
        query = sa.select(people.c.id).where(people.c.role == "admin", ~people.c.disabled)
        with self.store.connect() as conn:
            return conn.execute(query.limit(1)).first() is not None

    def set_password(self, name: str, password: str) -> None:
        """A new password; every login of the account ends."""
        self._change(name, password_hash=hash_password(password))

    def set_disabled(self, name: str, disabled: bool) -> None:
        """Disable (every login ends, none can start) or enable an account."""
        self._change(name, disabled=disabled)

    def set_role(self, name: str, role: str) -> None:
        check_choice("role", role, ROLES)
        self._change(name, role=role)

    def set_email(self, name: str, email: str | None) -> None:
        self._change(name, email=_clean_email(email))

    def _change(self, name: str, **values: object) -> None:
        with self.store.transaction() as conn:
            row = find(conn, name)
            if row is None:
                raise AccountError(f"no account named {name!r}")
            if "email" in values:
                _check_email_free(conn, values["email"], row.id)
            conn.execute(people.update().where(people.c.id == row.id).values(**values))
            if "password_hash" in values or values.get("disabled") or "role" in values:
                revoke_logins(conn, row.id, now())

    # Classes

    def add_class(self, name: str) -> None:
        name = plain_name(name, AccountError, "a class")
        with self.store.transaction() as conn:
            if conn.execute(sa.select(classes.c.id).where(classes.c.name == name)).first():
                raise AccountError(f"there is already a class named {name!r}")
            conn.execute(classes.insert().values(name=name))

    def list_classes(self) -> list[tuple[str, int]]:
        """(name, members) of every class, by name."""
        query = (
            sa.select(classes.c.name, sa.func.count(memberships.c.person_id))
            .outerjoin(memberships, memberships.c.class_id == classes.c.id)
            .group_by(classes.c.id, classes.c.name)
            .order_by(classes.c.name)
        )
        with self.store.connect() as conn:
            return [(r[0], int(r[1])) for r in conn.execute(query)]

    def join(self, class_name: str, name: str) -> None:
        """Put a person in a class (a second time changes nothing)."""
        with self.store.transaction() as conn:
            class_id, person_id = _class_id(conn, class_name), _person_id(conn, name)
            member = sa.select(memberships).where(
                memberships.c.class_id == class_id, memberships.c.person_id == person_id
            )
            if conn.execute(member).first() is None:
                conn.execute(memberships.insert().values(class_id=class_id, person_id=person_id))

    def leave(self, class_name: str, name: str) -> None:
        with self.store.transaction() as conn:
            class_id, person_id = _class_id(conn, class_name), _person_id(conn, name)
            conn.execute(
                memberships.delete().where(
                    memberships.c.class_id == class_id, memberships.c.person_id == person_id
                )
            )

    def members(self, class_name: str) -> list[Account]:
        with self.store.connect() as conn:
            class_id = _class_id(conn, class_name)
            query = (
                sa.select(*ACCOUNT_COLUMNS)
                .join(memberships, memberships.c.person_id == people.c.id)
                .where(memberships.c.class_id == class_id)
                .order_by(people.c.name)
            )
            return [account(r) for r in conn.execute(query)]

    def classes_of(self, name: str) -> list[str]:
        query = (
            sa.select(classes.c.name)
            .join(memberships, memberships.c.class_id == classes.c.id)
            .join(people, people.c.id == memberships.c.person_id)
            .where(people.c.name == name.strip())
            .order_by(classes.c.name)
        )
        with self.store.connect() as conn:
            return list(conn.execute(query).scalars())


def _clean_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    cleaned = email.strip().lower()
    if "@" not in cleaned or len(cleaned) > 320 or any(c.isspace() for c in cleaned):
        raise AccountError(f"{email!r} is not an e-mail address")
    return cleaned


def _check_email_free(conn: Connection, email: str | None, person_id: int | None) -> None:
    if email is None:
        return
    owner = conn.execute(sa.select(people.c.id).where(people.c.email == email)).scalar()
    if owner is not None and owner != person_id:
        raise AccountError(f"the e-mail {email!r} belongs to another account")


def _class_id(conn: Connection, name: str) -> int:
    found = conn.execute(sa.select(classes.c.id).where(classes.c.name == name.strip())).scalar()
    if found is None:
        raise AccountError(f"no class named {name!r}")
    return int(found)


def _person_id(conn: Connection, name: str) -> int:
    row = find(conn, name)
    if row is None:
        raise AccountError(f"no account named {name!r}")
    return int(row.id)
