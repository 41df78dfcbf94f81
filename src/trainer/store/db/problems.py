"""What went wrong with the database, in one sentence: which database (its URL without the
password), the problem, and what to do. Never the driver's own text or its web links."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

# (words in the driver's message, the problem, what to do); first match wins.
KNOWN = (
    (
        ("database is locked", "database table is locked", "lock timeout", "deadlock"),
        "is locked: another process is writing to it (a save, or an upgrade)",
        "try again when it is done, or wait longer with TRAINER_LOCK_WAIT_S",
    ),
    (
        ("file is not a database", "malformed", "not a database"),
        "is not a trainer database (not an SQLite file, or a damaged one)",
        "move it away, or point TRAINER_DATABASE_URL at another database",
    ),
    (
        ("readonly database", "read-only", "permission denied for"),
        "is read-only for this user",
        "save with a user who may write to it, or copy it somewhere writable",
    ),
    (
        ("unable to open database file", "disk i/o error"),
        "cannot be opened (its folder is missing or not readable)",
        "check TRAINER_DATA_DIR, or TRAINER_DATABASE_URL",
    ),
    (
        ("password authentication", "authentication failed", "role", "no pg_hba"),
        "refused the login",
        "check the user and password in TRAINER_DATABASE_URL",
    ),
    (
        ("connection refused", "could not connect", "timeout expired", "could not translate"),
        "is unreachable",
        "check that the server runs and the host and port in TRAINER_DATABASE_URL",
    ),
    (
        ("does not exist",),
        "does not exist on the server",
        "create it (createdb), or fix the name in TRAINER_DATABASE_URL",
    ),
)


def safe_url(url: str) -> str:
    """The URL with its password hidden; a placeholder when it cannot be parsed."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "the database in TRAINER_DATABASE_URL"


def describe(exc: SQLAlchemyError, url: str, doing: str = "use") -> str:
    """One line for a database error: the database, the problem and what to do."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    where = f"the attempt store at {safe_url(url)}"
    for words, problem, remedy in KNOWN:
        if any(w in text for w in words):
            return f"cannot {doing} {where}: it {problem}; {remedy}"
    kind = type(getattr(exc, "orig", None) or exc).__name__
    return (
        f"cannot {doing} {where}: the database refused the request ({kind}); check that it is "
        "a trainer database and the server is well"
    )
