"""The `trainer` command: parses arguments, calls the package, prints.

Every command is added by an `_add_<name>(subparsers)` function (video.py, attempts.py,
routines.py, jobs.py, accounts.py) and runs through `args.func(args)`. Library errors become
one line on stderr and exit code 2, here in `main`, the one place they are turned into messages.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import NoReturn

from trainer import __version__
from trainer.cli import accounts, attempts, jobs, routines, video
from trainer.core.base.errors import TrainerError

EXIT_USER_ERROR = 2


def one_line(text: str) -> str:
    """The message on one line: control characters (a newline in a file name or in a key of
    a hostile file) are shown escaped."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors, like every other error of the command."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USER_ERROR, f"{self.prog}: {one_line(message)} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="trainer", description="Camera-based massage technique trainer.")
    parser.add_argument("--version", action="version", version=f"trainer {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (
        *video.COMMANDS,
        *attempts.COMMANDS,
        *routines.COMMANDS,
        *jobs.COMMANDS,
        *accounts.COMMANDS,
    ):
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except TrainerError as exc:
        print(f"trainer: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:  # e.g. `trainer track x.mp4 --json | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return 0
    except KeyboardInterrupt:
        print("trainer: interrupted", file=sys.stderr)
        return 130
