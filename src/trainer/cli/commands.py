"""The `trainer` command: parses arguments, calls the package, prints.

Every command group is added by an `_add_<name>(subparsers)` function and runs through
`args.func(args)`. Library errors become one line on stderr and exit code 2, here in `main`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from trainer import __version__
from trainer.core.errors import TrainerError
from trainer.core.track import Track

EXIT_USER_ERROR = 2


def progress_bar(label: str) -> Callable[[int, int], None] | None:
    """A progress bar on stderr, or None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        return None
    started = time.perf_counter()

    def show(done: int, total: int) -> None:
        share = min(done / max(total, 1), 1.0)
        bar = "#" * int(share * 30)
        rate = done / max(time.perf_counter() - started, 1e-9)
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\r{label} [{bar:<30}] {share:4.0%} {done}/{total} {rate:.0f} fps{end}")
        sys.stderr.flush()

    return show


def _write_json(obj: Any, path: Path | None) -> None:
    text = json.dumps(obj, separators=(",", ":"))
    if path is None:
        print(text)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".partial")
    tmp.write_text(text)
    tmp.replace(path)  # never leave a half-written file where a good one was


# --- trainer models ---------------------------------------------------------------------------


def _cmd_models_fetch(args: argparse.Namespace) -> int:
    from trainer.capture.hand_model import fetch

    check = fetch(args.dest, source=args.source, force=args.force)
    print(f"hand model ready: {check.path} ({check.origin}, sha256 {check.sha256[:12]})")
    return 0


def _cmd_models_check(args: argparse.Namespace) -> int:
    from trainer.capture.hand_model import default_model_path, verify

    check = verify(args.dest or default_model_path())
    print(f"{check.path}: {check.origin}, sha256 {check.sha256}")
    return 0


def _add_models(sub: argparse._SubParsersAction) -> None:
    models = sub.add_parser("models", help="get or check the hand model")
    msub = models.add_subparsers(dest="models_command", required=True)
    fetch = msub.add_parser(
        "fetch", help="build models/hand_landmarker.task from the mediapipe wheel on PyPI"
    )
    fetch.add_argument(
        "--from",
        dest="source",
        metavar="URL_OR_PATH",
        help="take the bundle from this file or address instead (e.g. Google's official one)",
    )
    fetch.add_argument("--dest", type=Path, help="where to put it (default: models/)")
    fetch.add_argument("--force", action="store_true", help="replace a model already there")
    fetch.set_defaults(func=_cmd_models_fetch)
    check = msub.add_parser("check", help="verify the hand model in place")
    check.add_argument("--dest", type=Path, help="the model file (default: models/)")
    check.set_defaults(func=_cmd_models_check)


# --- trainer track ----------------------------------------------------------------------------


def track_summary(track: Track, video: Path) -> dict[str, Any]:
    """The JSON object of `trainer track --json`."""
    frames = [
        {"t": round(float(t), 4), "thumb": [round(float(v), 5) for v in xy] if found else None}
        for t, xy, found in zip(track.t, track.thumb, track.detected, strict=True)
    ]
    return {
        "video": {
            "path": str(video),
            "fps": track.fps,
            "frames": len(track),
            "width": track.width,
            "height": track.height,
            "duration_s": round(track.duration_s, 4),
            "rotation": track.meta.get("rotation", 0),
        },
        "detected_fraction": round(track.detected_fraction, 4),
        "frames": frames,
        "track": track.to_dict(),
    }


def _cmd_track(args: argparse.Namespace) -> int:
    from trainer.capture.tracker import track_video

    started = time.perf_counter()
    track = track_video(
        args.video, hand=args.hand, workers=args.workers, progress=progress_bar("tracking")
    )
    elapsed = time.perf_counter() - started
    if args.json or args.output:
        _write_json(track_summary(track, args.video), args.output)
    if not args.json:
        print(
            f"{args.video.name}: {len(track)} frames, {track.width}x{track.height}, "
            f"{track.duration_s:.1f} s; hand found in {track.detected_fraction:.0%} of frames; "
            f"tracked at {len(track) / elapsed:.0f} frames/s"
            + (f"; written to {args.output}" if args.output else "")
        )
    return 0


def _add_track(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("track", help="follow the thumb tip through a video")
    p.add_argument("video", type=Path)
    p.add_argument("--json", action="store_true", help="print one JSON object to stdout")
    p.add_argument("-o", "--output", type=Path, help="write the JSON to this file")
    p.add_argument("--hand", choices=("auto", "left", "right"), default="auto")
    p.add_argument("--workers", type=int, default=1, help="split the video over N threads")
    p.set_defaults(func=_cmd_track)


# --- trainer samples --------------------------------------------------------------------------


def _cmd_samples_make(args: argparse.Namespace) -> int:
    from trainer.synth.animate import CASES
    from trainer.synth.samples import make_samples
    from trainer.synth.scene import TECHNIQUES

    started = time.perf_counter()
    videos = make_samples(
        args.out,
        seed=args.seed,
        techniques=args.technique or TECHNIQUES,
        cases=args.case or CASES,
        progress=lambda video: print(f"wrote {video} and {video.with_suffix('.json').name}"),
    )
    print(
        f"{len(videos)} sample videos with ground truth in {args.out} "
        f"({time.perf_counter() - started:.0f} s)"
    )
    return 0


def _add_samples(sub: argparse._SubParsersAction) -> None:
    samples = sub.add_parser("samples", help="synthetic stroke videos with a known thumb path")
    ssub = samples.add_subparsers(dest="samples_command", required=True)
    make = ssub.add_parser(
        "make", help="render a correct attempt and each mistake, for each technique"
    )
    make.add_argument("--out", type=Path, default=Path("sample_videos"), help="output folder")
    make.add_argument("--seed", type=int, default=0, help="another seed, other hands and scenes")
    make.add_argument(
        "--technique", action="append", help="only this technique (repeatable; default: all)"
    )
    make.add_argument("--case", action="append", help="only this case (repeatable; default: all)")
    make.set_defaults(func=_cmd_samples_make)


# --- trainer review / techniques --------------------------------------------------------------


def _review_text(review: Any) -> str:
    """The readable report: score and its parts, what to fix, then stroke by stroke."""
    good = sum(s.good for s in review.strokes)
    lines = [
        f"{review.technique}: {review.score:.0f}/100 "
        f"({len(review.strokes)} strokes, {good} good; exercise {review.exercise_s:.0f} s)"
    ]
    for part in review.parts:
        lines.append(
            f"  {part.name:<11}{part.points:5.0f}  x {part.weight:.2f} = {part.contribution:5.1f}"
        )
    for penalty in review.penalties:
        lines.append(f"  penalty    -{penalty.points:4.0f}  {penalty.reason}")
    if review.strokes:
        covered = ", ".join(f"{name} {share:.0%}" for name, share in review.zones.items())
        lines.append(f"Zones covered: {covered}")
    if review.feedback:
        lines.append("What to work on:")
        lines += [f"  {n}. {sentence}" for n, sentence in enumerate(review.feedback, 1)]
    if review.strokes:
        lines.append("Strokes:")
    for n, s in enumerate(review.strokes, 1):
        m = s.metrics
        verdict = "good" if not s.feedback else s.feedback[0]
        if len(s.feedback) > 1:
            verdict += f" (+{len(s.feedback) - 1} more)"
        lines.append(
            f"  {n:>2}. {m.start_t:6.1f}-{m.end_t:5.1f} s  "
            f"{'right way' if s.direction_ok else 'REVERSED '}  offset {m.mean_offset:.2f}  "
            f"covered {m.coverage:4.0%}  {m.moving_s:4.1f} s  {verdict}"
        )
    return "\n".join(lines)


def _cmd_review(args: argparse.Namespace) -> int:
    from trainer.core.calibration import Calibration, calibration_for
    from trainer.core.session import review
    from trainer.core.technique import load_technique
    from trainer.review.analysis import analyse_video
    from trainer.store.files import load_calibration, load_track

    technique = load_technique(args.technique)
    calibration = None
    if args.calibration:
        calibration = calibration_for(technique, load_calibration(args.calibration))
    elif args.line:
        calibration = Calibration.from_line(args.line, technique.name)
    if args.video.suffix.lower() == ".json":
        track = load_track(args.video)
        result = review(track, technique, calibration)
    else:
        progress = progress_bar("tracking")
        analysis = analyse_video(args.video, technique, calibration, progress, args.hand)
        track, result = analysis.track, analysis.review
    if args.json:
        # With the track, the JSON is what `trainer save` and `trainer compare` read.
        _write_json({**result.to_dict(), "track": track.to_dict()}, None)
    else:
        print(_review_text(result))
    return 0


def _add_review(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("review", help="score the strokes in a video against a technique")
    p.add_argument("video", type=Path, help="a video, or a track saved by `trainer track -o`")
    p.add_argument("--technique", required=True, help="a name from `trainer techniques`")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--calibration", type=Path, help="calibration JSON: the marked path")
    where.add_argument("--line", metavar="x1,y1,x2,y2", help="the path, normalized, start to end")
    p.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object (the review and the track: `trainer save` keeps it)",
    )
    p.add_argument("--hand", choices=("auto", "left", "right"), default="auto")
    p.set_defaults(func=_cmd_review)


def _cmd_techniques(args: argparse.Namespace) -> int:
    from trainer.core.technique import all_techniques

    for t in all_techniques():
        print(f"{t.name:<18} {t.title} [{t.source}]")
    return 0


def _add_techniques(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("techniques", help="list the massage techniques")
    p.set_defaults(func=_cmd_techniques)


# --- trainer save / compare / history / export: the attempt store ----------------------------

STORE_HELP = (
    "Attempts are stored in $TRAINER_DATA_DIR/trainer.db (default ~/.local/share/trainer), "
    "or in the database at $TRAINER_DATABASE_URL (any SQLAlchemy URL)."
)


def _open_store() -> Any:
    from trainer.store.database import Store

    return Store.open()


def _fmt(value: float | None, spec: str = ".1f") -> str:
    return "-" if value is None or value != value else format(value, spec)


def _cmd_save(args: argparse.Namespace) -> int:
    from trainer.store.attempts import material_from_file, save_material

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
        choices=("practice", "review", "reference"),
        default="practice",
        help="reference: an instructor's demonstration, the technique's new reference",
    )
    p.add_argument("--video", type=Path, help="the attempt's video")
    p.add_argument(
        "--keep-video", action="store_true", help="store a copy of the video (default: not kept)"
    )
    p.set_defaults(func=_cmd_save)


def _cmd_compare(args: argparse.Namespace) -> int:
    from trainer.overlay.plots import comparison_figure, save_figure
    from trainer.store.attempts import compare_with, load_material

    sources = [args.student] + ([args.other] if args.other else [])
    needs_store = args.other is None or any(s.isdigit() for s in sources)
    store = _open_store() if needs_store else None
    try:
        student = load_material(args.student, store)
        other = load_material(args.other, store) if args.other else None
        c = compare_with(student, other, store)
    finally:
        if store is not None:
            store.close()
    against = other.label if other else f"the {c.technique} reference"
    if args.plot:
        save_figure(comparison_figure(c, f"{student.label} against {against}"), args.plot)
    if args.json:
        print(json.dumps({"student": student.label, "against": against, **c.to_dict()}))
        return 0
    print(
        f"{student.label} against {against}: {c.n_strokes} strokes aligned"
        + (f", {c.n_reversed} reversed" if c.n_reversed else "")
        + f"; mean gap {_fmt(c.distance, '.3f')} path lengths"
    )
    print(f"{'zone':<14} {'offset':>7} {'speed':>6} {'time s':>13} {'lag s':>6} {'reached':>8}")
    for z in c.zones:
        times = f"{_fmt(z.student_s)} / {_fmt(z.reference_s)}"
        print(
            f"{z.name:<14} {_fmt(z.offset, '+.3f'):>7} {_fmt(z.speed_ratio, '.2f'):>6} "
            f"{times:>13} {_fmt(z.lag_s, '+.1f'):>6} {z.coverage:>8.0%}"
        )
    for line in c.findings():
        print(f"- {line}")
    if args.plot:
        print(f"figure written to {args.plot}")
    return 0


def _add_compare(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compare",
        help="compare a student's strokes with another attempt or the technique's reference",
        epilog="offset: across the path in path lengths (+ = right of travel); speed: student "
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
    with _open_store() as store:
        table = store.technique_table(args.technique, sort_by=args.sort)
    if args.json:
        print(json.dumps([r.to_dict() for r in table]))
        return 0
    print(f"{'person':<20} {'attempts':>8} {'best':>6} {'mean':>6} {'latest':>6}  last (UTC)")
    for r in table:
        print(
            f"{r.person:<20} {r.attempts:>8} {_fmt(r.best):>6} {_fmt(r.mean):>6} "
            f"{_fmt(r.latest):>6}  {r.last_at:%Y-%m-%d %H:%M}"
        )
    return 0


def _cmd_history(args: argparse.Namespace) -> int:
    from trainer.overlay.plots import progress_figure, save_figure

    if args.plot and not args.person:
        raise TrainerError("--plot needs --person")
    if args.technique and not args.person:
        return _print_technique_table(args)
    with _open_store() as store:
        rows = store.list_attempts(person=args.person, technique=args.technique)
        progress = store.progress(args.person, args.technique) if args.plot else None
    if progress is not None:
        save_figure(progress_figure(progress), args.plot)
    if args.json:
        print(json.dumps([r.to_dict() for r in rows]))
        return 0
    print(f"{'id':>5}  {'when (UTC)':<16}  {'person':<16} {'technique':<18} {'kind':<9} score")
    for r in rows:
        print(
            f"{r.id:>5}  {r.created_at:%Y-%m-%d %H:%M}  {r.person:<16} "
            f"{r.technique:<18} {r.kind:<9} {_fmt(r.score)}"
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
    from trainer.store.export import write_attempts_csv

    with _open_store() as store:
        rows = store.list_attempts(person=args.person, technique=args.technique)
    n = write_attempts_csv(rows, args.output)
    print(f"{n} attempts written to {args.output}")
    return 0


def _add_export(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write attempts (no tracks) to a CSV file", epilog=STORE_HELP)
    p.add_argument("--technique", help="only this technique")
    p.add_argument("--person", help="only this person")
    p.add_argument("-o", "--output", type=Path, required=True, help="the CSV file")
    p.set_defaults(func=_cmd_export)


def _cmd_people(args: argparse.Namespace) -> int:
    with _open_store() as store:
        if args.add:
            store.add_person(args.add, args.role)
            print(f"{args.add}: {args.role}")
            return 0
        for name, role in store.list_people():
            print(f"{name:<24} {role}")
    return 0


def _add_people(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "people",
        help="list people and their roles, or add one (instructors' attempts can be references)",
        epilog=STORE_HELP,
    )
    p.add_argument("--add", metavar="NAME", help="add this person, or change their role")
    p.add_argument("--role", choices=("student", "instructor"), default="student")
    p.set_defaults(func=_cmd_people)


def _cmd_forget(args: argparse.Namespace) -> int:
    with _open_store() as store:
        for attempt_id in args.attempts:
            store.delete_attempt(attempt_id)
            print(f"forgot attempt {attempt_id}")
    return 0


def _add_forget(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "forget",
        help="delete attempts for good, with their kept videos and references made from them",
        epilog=STORE_HELP,
    )
    p.add_argument("attempts", type=int, nargs="+", metavar="ATTEMPT_ID")
    p.set_defaults(func=_cmd_forget)


# --- entry point ------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trainer", description="Camera-based massage technique trainer."
    )
    parser.add_argument("--version", action="version", version=f"trainer {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (
        _add_models,
        _add_track,
        _add_review,
        _add_techniques,
        _add_save,
        _add_compare,
        _add_history,
        _add_export,
        _add_people,
        _add_forget,
        _add_samples,
    ):
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except TrainerError as exc:
        print(f"trainer: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:  # e.g. `trainer track x.mp4 --json | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return 0
    except KeyboardInterrupt:
        print("trainer: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
