"""Passwords, kept only as argon2id hashes (argon2-cffi's defaults, RFC 9106's second choice)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from trainer.core.base.errors import AccountError

MIN_LENGTH = 8
# Longer input only costs hashing time; no one types more.
MAX_LENGTH = 1024
_HASHER = PasswordHasher()
# Checked against for an unknown name, so a wrong name takes as long as a wrong password and
# the time of a refusal does not tell which names exist.
_DUMMY = _HASHER.hash("not anyone's password")


def check_password(password: str) -> None:
    """Refuse a password too short or too long to be one."""
    if len(password) < MIN_LENGTH:
        raise AccountError(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise AccountError(f"a password has at most {MAX_LENGTH} characters")


def hash_password(password: str) -> str:
    check_password(password)
    return _HASHER.hash(password)


def verify(stored: str | None, password: str) -> bool:
    """Whether password is the one stored (None: no password, never matches)."""
    try:
        return _HASHER.verify(stored or _DUMMY, password[:MAX_LENGTH]) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
