"""Commands on the attempt store: save, compare, history, export, people, forget."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from trainer.cli.printing import fmt, print_table
from trainer.core.base.errors import TrainerError
from trainer.core.base.outputfile import check_output
from trainer.core.judging.feedback import path_share

# --- trainer save / compare / history / export: the attempt store ----------------------------

STORE_HELP = (
    "Attempts are stored in $TRAINER_DATA_DIR/trainer.db (default ~/.local/share/trainer), "
    "or in the database at $TRAINER_DATABASE_URL (any SQLAlchemy URL)."
)


def _open_store(read_only: bool = False) -> Any:
    """The store; read commands open it read-only: they never wait for a save, create nothing."""
    from trainer.store.store import Store

    return Store.open(read_only=read_only)


def _cmd_save(args: argparse.Namespace) -> int:
    from trainer.analysis.material import material_from_file, save_material

    if args.keep_video and args.video is None:
        raise TrainerError("--keep-video needs --video FILE")
    material = material_from_file(args.review)
    with _open_store() as store:
        attempt_id = save_material(
            store, material, args.person, args.kind, args.video, args.keep_video
        )
    what = f"{material.technique}'s reference" if args.kind == "reference" else args.kind
    kept = "; video kept" if args.keep_video else ""
    print(f"saved attempt {attempt_id}: {args.person}, {what}{kept}")
    return 0


def _add_save(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "save", help="keep a reviewed attempt (the JSON of `trainer review`)", epilog=STORE_HELP
    )
    p.add_argument("review", type=Path, help="review JSON file holding track and calibration")
    p.add_argument("--person", required=True, help="whose attempt it is")
    p.add_argument(
        "--kind",
        choices=("practice", "video", "reference"),
        default="practice",
        help="video: an uploaded video's; reference: an instructor's demonstration, the "
        "technique's new reference",
    )
    p.add_argument("--video", type=Path, help="the attempt's video")
    p.add_argument(
        "--keep-video", action="store_true", help="store a copy of the video (default: not kept)"
    )
    p.set_defaults(func=_cmd_save)


def _cmd_compare(args: argparse.Namespace) -> int:
    from trainer.analysis.material import compare_with, load_material
    from trainer.overlay.plots import FIGURE_SUFFIXES, comparison_figure, save_figure

    if args.plot:
        check_output(args.plot, FIGURE_SUFFIXES, "figure")
    sources = [args.student] + ([args.other] if args.other else [])
    needs_store = args.other is None or any(s.isascii() and s.isdigit() for s in sources)
    store = _open_store(read_only=True) if needs_store else None
    try:
        student = load_material(args.student, store)
        other = load_material(args.other, store) if args.other else None
        c = compare_with(student, other, store)
    finally:
        if store is not None:
            store.close()
    against = other.label if other else f"the {c.technique} reference"
    if args.plot:
        # The figure's title names the technique by its title: its legend says no code name.
        shown = other.label if other else "the reference"
        save_figure(comparison_figure(c, student.label, shown), args.plot)
    if args.json:
        print(json.dumps({"student": student.label, "against": against, **c.to_dict()}))
        return 0
    print(
        f"{student.label} against {against}: {c.n_strokes} strokes aligned"
        + (f", {c.n_reversed} reversed" if c.n_reversed else "")
        + ("" if c.n_strokes == 0 else f"; mean gap {path_share(c.distance)} of the path's length")
    )
    print_table(
        ("zone", "offset", "speed", "time s", "lag s", "reached"),
        (
            (
                z.name,
                _share(z.offset, signed=True),
                fmt(z.speed_ratio, ".2f"),
                f"{fmt(z.student_s)} / {fmt(z.reference_s)}",
                fmt(z.lag_s, "+.1f"),
                f"{z.coverage:.0%}",
            )
            for z in c.zones
        ),
        right=("offset", "speed", "time s", "lag s", "reached"),
    )
    for line in c.findings(against):
        print(f"- {line}")
    if args.plot:
        print(f"figure written to {args.plot}")
    return 0


def _share(length: float, signed: bool = False) -> str | None:
    """A distance in path lengths as the pages say it (a share of the path), None if none."""
    return None if math.isnan(length) else path_share(length, signed)


def _add_compare(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compare",
        help="compare a student's strokes with another attempt or the technique's reference",
        epilog="offset: across the path, as a share of its length (+ = right of travel); mean "
        "gap: the same between aligned points, either side; speed: student "
        "over reference; time s: student / reference seconds in the zone; lag s: how much "
        "later than the reference the student leaves the zone. " + STORE_HELP,
    )
    p.add_argument("student", help="attempt id or review JSON file")
    p.add_argument(
        "other", nargs="?", help="attempt id or review JSON file (default: the stored reference)"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--plot", type=Path, help="draw both paths to this image (PNG, SVG, PDF)")
    p.set_defaults(func=_cmd_compare)


def _print_technique_table(args: argparse.Namespace) -> int:
    with _open_store(read_only=True) as store:
        table = store.technique_table(args.technique, sort_by=args.sort)
    if args.json:
        print(json.dumps([r.to_dict() for r in table]))
        return 0
    print_table(
        ("person", "attempts", "best", "mean", "latest", "last (UTC)"),
        ((r.person, r.attempts, fmt(r.best), fmt(r.mean), fmt(r.latest), r.last_at) for r in table),
        right=("attempts", "best", "mean", "latest"),
    )
    return 0


def _cmd_history(args: argparse.Namespace) -> int:
    from trainer.overlay.plots import FIGURE_SUFFIXES, progress_figure, save_figure

    if args.plot and not args.person:
        raise TrainerError("--plot needs --person")
    if args.plot:
        check_output(args.plot, FIGURE_SUFFIXES, "figure")
    if args.technique and not args.person:
        return _print_technique_table(args)
    with _open_store(read_only=True) as store:
        rows = store.list_attempts(person=args.person, technique=args.technique)
        progress = store.history(args.person, args.technique) if args.plot else None
    if progress is not None:
        save_figure(progress_figure(progress), args.plot)
    if args.json:
        print(json.dumps([r.to_dict() for r in rows]))
        return 0
    print_table(
        ("id", "when (UTC)", "person", "technique", "kind", "score"),
        ((r.id, r.created_at, r.person, r.technique, r.kind, fmt(r.score)) for r in rows),
        right=("id", "score"),
    )
    if progress is not None:
        print(f"figure written to {args.plot}")
    return 0


def _add_history(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "history",
        help="attempts over time; with --technique alone, everyone's standing on it",
        epilog=STORE_HELP,
    )
    p.add_argument("--person", help="one person's attempts, oldest first")
    p.add_argument("--technique", help="only this technique")
    p.add_argument(
        "--sort",
        choices=("best", "mean", "latest", "attempts"),
        default="best",
        help="order of the per-technique table (highest first)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--plot", type=Path, help="with --person: draw scores over time to this image")
    p.set_defaults(func=_cmd_history)


def _cmd_export(args: argparse.Namespace) -> int:
    from trainer.store.attempts.csv_export import write_attempts_csv

    if args.person and args.output.suffix.lower() == ".zip":
        return _export_person(args)
    check_output(args.output, (".csv",), "CSV")
    with _open_store(read_only=True) as store:
        rows = store.list_attempts(person=args.person, technique=args.technique)
    n = write_attempts_csv(rows, args.output)
    print(f"{n} attempts written to {args.output}")
    return 0


def _export_person(args: argparse.Namespace) -> int:
    from trainer.store.access.person_export import export_person
    from trainer.store.jobs.job_store import JobStore

    check_output(args.output, (".zip",), "zip")
    if args.technique:
        raise TrainerError("--technique goes with a CSV export: a person's zip holds everything")
    jobs = JobStore.open()
    with jobs.store:
        n = export_person(jobs, args.person, args.output)
    print(f"everything held about {args.person} written to {args.output} ({n} videos)")
    return 0


def _add_export(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="write attempts (no tracks) to a CSV file, or with --person and a .zip file, "
        "everything held about that person (JSON and kept videos)",
        epilog=STORE_HELP,
    )
    p.add_argument("--technique", help="only this technique")
    p.add_argument("--person", help="only this person")
    p.add_argument("-o", "--output", type=Path, required=True, help="the CSV or zip file")
    p.set_defaults(func=_cmd_export)


def _cmd_people(args: argparse.Namespace) -> int:
    if args.set_role and args.role is None:
        raise TrainerError("--set-role NAME needs --role student|instructor")
    if args.role and not (args.add or args.set_role):
        raise TrainerError("--role goes with --add NAME or --set-role NAME")
    with _open_store(read_only=not (args.add or args.set_role)) as store:
        if args.set_role:
            store.set_role(args.set_role, args.role)
            print(f"{args.set_role}: {args.role}")
            return 0
        if args.add:
            role = store.add_person(args.add, args.role or "student")
            # Adding never changes a known person's role; passing over the role asked for in
            # silence would leave the user believing it had.
            if args.role not in (None, role):
                raise TrainerError(
                    f"{args.add} is a {role} already: `trainer people --set-role {args.add} "
                    f"--role {args.role}` changes the role"
                )
            print(f"{args.add}: {role}")
            return 0
        for name, role in store.list_people():
            print(f"{name:<24} {role}")
    return 0


def _add_people(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "people",
        help="list people and their roles, add one, or change a role (instructors' attempts can "
        "be references)",
        epilog=STORE_HELP,
    )
    who = p.add_mutually_exclusive_group()
    who.add_argument("--add", metavar="NAME", help="add this person (a known one keeps their role)")
    who.add_argument("--set-role", metavar="NAME", help="change this person's role to --role")
    p.add_argument(
        "--role",
        choices=("student", "instructor"),
        help="the role of the person added (default: student) or changed",
    )
    p.set_defaults(func=_cmd_people)


def _attempt_id(text: str) -> int:
    """An attempt id argument: a plain ASCII whole number in the store's range."""
    from trainer.core.base.fields import plain_id

    found = plain_id(text)
    if found is None:
        raise argparse.ArgumentTypeError(f"not an attempt id: {text!r}")
    return found


def _cmd_forget(args: argparse.Namespace) -> int:
    if args.person is not None:
        return _forget_person(args)
    if not args.attempts:
        raise TrainerError("forget what? give ATTEMPT_ID... or --person NAME")
    with _open_store() as store:
        for attempt_id in args.attempts:
            store.delete_attempt(attempt_id)
            print(f"forgot attempt {attempt_id}")
    return 0


def _forget_person(args: argparse.Namespace) -> int:
    from trainer.store.access.erasure import forget_person
    from trainer.store.jobs.job_store import JobStore

    if args.attempts:
        raise TrainerError("--person forgets everything of theirs: give no ATTEMPT_ID with it")
    jobs = JobStore.open()
    with jobs.store:
        gone = forget_person(jobs, args.person)
    print(
        f"forgot {args.person}: {gone.attempts} attempts, {gone.sessions} guided sessions, "
        f"{gone.jobs} review jobs and their files"
    )
    return 0


def _add_forget(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "forget",
        help="delete attempts for good, with their kept videos and references made from them; "
        "or with --person, a person and everything of theirs",
        epilog=STORE_HELP,
    )
    p.add_argument("attempts", type=_attempt_id, nargs="*", metavar="ATTEMPT_ID")
    p.add_argument("--person", metavar="NAME", help="forget this person and everything of theirs")
    p.set_defaults(func=_cmd_forget)


COMMANDS = (
    _add_save,
    _add_compare,
    _add_history,
    _add_export,
    _add_people,
    _add_forget,
)
