"""Commands on routines: `trainer routines [FILE.toml ...]` lists them, or checks files."""

from __future__ import annotations

import argparse
from pathlib import Path

from trainer.core.routine import Routine, all_routines, load_routine_file


def routine_text(routine: Routine) -> str:
    """A routine as lines: its name and title, then each exercise with its minutes."""
    cap = routine.first_session_max_s / 60
    lines = [f"{routine.name:<16} {routine.title} (from {routine.source})"]
    lines.append(f"{'':<16} first session at most {cap:g} min")
    for n, e in enumerate(routine.exercises, start=1):
        lo, hi = e.minutes
        optional = " (optional)" if e.optional else ""
        lines.append(f"{'':<16} {n}. {e.title}: {e.technique}, {lo:g}-{hi:g} min{optional}")
    return "\n".join(lines)


def _cmd_routines(args: argparse.Namespace) -> int:
    routines = [load_routine_file(p) for p in args.files] if args.files else all_routines()
    print("\n".join(routine_text(r) for r in routines))
    return 0


def _add_routines(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "routines", help="list the guided routines (exercises in order, with their minutes)"
    )
    p.add_argument(
        "files", nargs="*", type=Path, help="routine TOML files to check and show instead"
    )
    p.set_defaults(func=_cmd_routines)


COMMANDS = (_add_routines,)
