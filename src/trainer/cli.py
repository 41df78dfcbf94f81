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
from trainer.errors import TrainerError

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
    from trainer.models import fetch

    check = fetch(args.dest, source=args.source, force=args.force)
    print(f"hand model ready: {check.path} ({check.origin}, sha256 {check.sha256[:12]})")
    return 0


def _cmd_models_check(args: argparse.Namespace) -> int:
    from trainer.models import default_model_path, verify

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


def track_summary(track: Any, info: Any) -> dict[str, Any]:
    """The JSON object of `trainer track --json`."""
    thumb = track.thumb
    frames = [
        {
            "t": round(float(t), 4),
            "thumb": None if x != x else [round(float(x), 5), round(float(y), 5)],
        }
        for t, (x, y) in zip(track.t, thumb, strict=True)
    ]
    return {
        "video": {
            "path": str(info.path),
            "fps": info.fps,
            "frames": len(track),
            "width": info.width,
            "height": info.height,
            "duration_s": round(track.duration_s, 4),
            "rotation": info.rotation,
        },
        "detected_fraction": round(track.detected_fraction, 4),
        "frames": frames,
        "track": track.to_dict(),
    }


def _cmd_track(args: argparse.Namespace) -> int:
    from trainer.tracking import track_video
    from trainer.video import probe

    info = probe(args.video)
    started = time.perf_counter()
    track = track_video(
        args.video, hand=args.hand, workers=args.workers, progress=progress_bar("tracking")
    )
    elapsed = time.perf_counter() - started
    summary = track_summary(track, info)
    if args.json or args.output:
        _write_json(summary, args.output)
    if not args.json:
        print(
            f"{info.path.name}: {len(track)} frames, {info.width}x{info.height}, "
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


# --- entry point ------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trainer", description="Camera-based massage technique trainer."
    )
    parser.add_argument("--version", action="version", version=f"trainer {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_add_models, _add_track):
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
