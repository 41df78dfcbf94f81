"""Commands on videos and tracks: models, track, review, techniques, samples."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainer.cli.printing import progress_bar, write_json
from trainer.core.base.errors import TrainerError
from trainer.core.base.outputfile import check_output
from trainer.core.base.settings import Settings
from trainer.core.track import Track

if TYPE_CHECKING:
    from trainer.core.judging.verdict import Review
    from trainer.core.path.calibration import Calibration
    from trainer.core.technique import Technique

# --- trainer models ---------------------------------------------------------------------------


def _cmd_models_fetch(args: argparse.Namespace) -> int:
    from trainer.capture.hand_model import fetch

    check = fetch(args.dest, source=args.source, force=args.force)
    print(f"hand model ready: {check.path} ({check.origin}, sha256 {check.sha256[:12]})")
    return 0


def _cmd_models_check(args: argparse.Namespace) -> int:
    from trainer.capture.hand_model import verify

    check = verify(args.dest or Settings.from_env().model_path)
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


def _exposure(args: argparse.Namespace) -> bool:
    """Brighten dark frames for the model unless --no-exposure or TRAINER_EXPOSURE=off."""
    from trainer.core.base.settings import Settings

    return not args.no_exposure and Settings.from_env().exposure


def _add_exposure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--no-exposure",
        action="store_true",
        help="give the hand model the frames as filmed, dark ones not brightened (to compare)",
    )


def _cmd_track(args: argparse.Namespace) -> int:
    from trainer.capture.video_tracking import track_video

    if args.output:
        check_output(args.output, (".json",), "track JSON")
    started = time.perf_counter()
    track = track_video(
        args.video,
        hand=args.hand,
        workers=args.workers,
        progress=progress_bar("tracking"),
        max_hands=args.max_hands,
        exposure=_exposure(args),
    )
    elapsed = time.perf_counter() - started
    if args.json or args.output:
        write_json(track_summary(track, args.video), args.output)
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
    _add_max_hands(p)
    _add_exposure(p)
    p.set_defaults(func=_cmd_track)


def _add_max_hands(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-hands", type=int, choices=(1, 2), default=2, help="follow up to N hands")


# --- trainer samples --------------------------------------------------------------------------


def _cmd_samples_make(args: argparse.Namespace) -> int:
    from trainer.synth.samples import make_samples
    from trainer.synth.scene import TECHNIQUES

    started = time.perf_counter()
    videos = make_samples(
        args.out,
        seed=args.seed,
        techniques=args.technique or TECHNIQUES,
        cases=args.case,
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
        hand = f"{s.hand} hand  " if s.hand else ""
        lines.append(
            f"  {n:>2}. {m.start_t:6.1f}-{m.end_t:5.1f} s  {hand}"
            f"{'right way' if s.direction_ok else 'REVERSED '}  offset {m.mean_offset:.2f}  "
            f"covered {m.coverage:4.0%}  {m.moving_s:4.1f} s  {verdict}"
        )
    return "\n".join(lines)


def _cmd_review(args: argparse.Namespace) -> int:
    from trainer.core.judging.streaming import judge_track
    from trainer.core.path.calibration import Calibration, calibration_for
    from trainer.core.technique import load_technique
    from trainer.documents.files import load_calibration, load_track

    technique = load_technique(args.technique)
    calibration = None
    if args.calibration:
        calibration = calibration_for(technique, load_calibration(args.calibration))
    elif args.line:
        calibration = Calibration.from_line(args.line, technique.name)
    if args.video.suffix.lower() == ".json":
        if args.annotated:
            raise TrainerError(
                f"{args.video.name}: a saved track has no frames to draw on; "
                "give the video itself for --annotated"
            )
        track = load_track(args.video)
        result = judge_track(track, technique, calibration)
    else:
        track, result = _review_video(args, technique, calibration)
    if args.json:
        # With the track, the JSON is what `trainer save` and `trainer compare` read.
        write_json({**result.to_dict(), "track": track.to_dict()}, None)
    else:
        print(_review_text(result))
    return 0


def _review_video(
    args: argparse.Namespace, technique: Technique, calibration: Calibration | None
) -> tuple[Track, Review]:
    """A video reviewed as the Review page reviews it, drawn into --annotated when asked."""
    from trainer.analysis.drawn import ReviewOptions, ReviewSteps, analyse_and_draw
    from trainer.core.base.outputfile import staged

    options = ReviewOptions(
        follow=not args.fixed_path,
        exposure=_exposure(args),
        hand=args.hand,
        max_hands=args.max_hands,
    )
    steps = ReviewSteps(
        progress_bar("tracking"), progress_bar("following the path"), progress_bar("drawing")
    )
    if not args.annotated:
        drawn = analyse_and_draw(args.video, technique, calibration, options, None, steps)
    else:
        out = _annotated_target(args.annotated)
        with staged(out) as partial:
            drawn = analyse_and_draw(args.video, technique, calibration, options, partial, steps)
        print(f"wrote {out}", file=sys.stderr)
    return drawn.analysis.track, drawn.analysis.review


def _annotated_target(path: Path) -> Path:
    """The --annotated file, checked before the work: a new or regular .mp4 file."""
    check_output(path, (".mp4",), "annotated video")
    if path.exists() and not path.is_file():
        raise TrainerError(f"{path}: not a regular file; name an .mp4 file for the annotated video")
    return path


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
    p.add_argument(
        "--annotated",
        type=Path,
        metavar="OUT.mp4",
        help="also write the annotated video the Review page shows (path, trail, cues)",
    )
    p.add_argument("--hand", choices=("auto", "left", "right"), default="auto")
    p.add_argument(
        "--fixed-path",
        action="store_true",
        help="keep the path where it is in the picture (default: it follows the body part)",
    )
    _add_max_hands(p)
    _add_exposure(p)
    p.set_defaults(func=_cmd_review)


def _cmd_techniques(args: argparse.Namespace) -> int:
    from trainer.core.technique import all_techniques

    for t in all_techniques():
        print(f"{t.name:<18} {t.title} (from {t.source})")
    return 0


def _add_techniques(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("techniques", help="list the massage techniques")
    p.set_defaults(func=_cmd_techniques)


COMMANDS = (
    _add_models,
    _add_track,
    _add_samples,
    _add_review,
    _add_techniques,
)
