"""A person's or a class's name is text, not markup: letters of any alphabet (with their
combining marks), digits, spaces and ' - . only. Names are shown on every page and written into
exports, so anything else (brackets, `!`, `<`, `=`...) is refused where a person, an account or
a class is added."""

from __future__ import annotations

import unicodedata

from trainer.core.base.errors import TrainerError

PUNCTUATION = " '-."
MAX_NAME = 200  # the people.name and classes.name columns


def plain_name(name: str, error: type[TrainerError], whose: str = "a person") -> str:
    """The name of `whose` ("a person", "a class") stripped, or error with one line saying
    what is allowed."""
    cleaned = name.strip()
    if not cleaned:
        raise error(f"{whose} needs a name")
    if len(cleaned) > MAX_NAME:
        raise error(f"{whose}'s name has at most {MAX_NAME} characters")
    bad = next((c for c in cleaned if not _allowed(c)), None)
    if bad is not None or not any(_letter_or_digit(c) for c in cleaned):
        shown = f" (not {bad!r})" if bad is not None else ""
        raise error(f"{whose}'s name is letters, digits, spaces and ' - . only" + shown)
    return cleaned


def _allowed(c: str) -> bool:
    return c in PUNCTUATION or _letter_or_digit(c) or unicodedata.category(c) in ("Mn", "Mc")


def _letter_or_digit(c: str) -> bool:
    return unicodedata.category(c)[0] == "L" or unicodedata.category(c) == "Nd"
