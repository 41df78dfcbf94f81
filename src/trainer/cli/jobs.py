"""Commands on review jobs: batch, jobs (list, retry, cancel), worker."""

from __future__ import annotations

import argparse
import logging
import sys
import time
import uuid
from pathlib import Path

from trainer.cli.printing import fmt, print_table, write_json
from trainer.core.base.settings import Settings
from trainer.core.judging import feedback

POLL_S = 0.5
NUMBERS = ("id", "done", "attempt", "score", "strokes")  # columns aligned right


def _cmd_batch(args: argparse.Namespace) -> int:
    from trainer.core.base.errors import JobError
    from trainer.core.path.calibration import calibration_for
    from trainer.core.technique import load_technique
    from trainer.documents.files import load_calibration
    from trainer.jobs.submit import Submitter, check_space, person_from_name, videos_in
    from trainer.store.jobs.records import JobSpec

    settings = Settings.from_env()
    technique = load_technique(args.technique)
    given = load_calibration(args.calibration) if args.calibration else None
    calibration = calibration_for(technique, given).to_dict()
    videos = videos_in(args.videos)
    if args.person is None and not args.person_from_name:
        raise JobError("whose videos? give --person NAME, or --person-from-name")
    people = [args.person or person_from_name(v) for v in videos]
    check_space(settings, sum(v.stat().st_size for v in videos), f"the {len(videos)} videos")
    submitter = Submitter(settings)
    batch = uuid.uuid4().hex[:12]
    follow = not args.fixed_path
    exposure = not args.no_exposure and settings.exposure
    ids = [
        submitter.submit(
            v,
            JobSpec(
                p,
                technique.name,
                calibration,
                v.name,
                args.kind,
                batch=batch,
                follow=follow,
                exposure=exposure,
            ),
        )
        for v, p in zip(videos, people, strict=True)
    ]
    submitter.start_workers(args.workers)
    if args.no_wait:
        print(f"{len(ids)} review jobs queued (batch {batch}): {ids[0]}-{ids[-1]}")
        print("follow them with `trainer jobs`")
        return 0
    return _wait_and_report(submitter.jobs, ids)


def _wait_and_report(jobs, ids: list[int]) -> int:
    """Wait for every job, showing overall progress; the table, the failures; exit code."""
    show = sys.stderr.isatty()
    while True:
        found = [jobs.get(i) for i in ids]
        if show:
            _progress_line(found)
        if all(j.finished for j in found):
            break
        time.sleep(POLL_S)
    if show:
        sys.stderr.write("\n")
    done = [j for j in found if j.state == "done"]
    results = jobs.results([j.attempt_id for j in done])
    rows = [(j.person, j.video_name, *_result_cells(results.get(j.attempt_id))) for j in done]
    print_table(("person", "video", "score", "strokes", "main fault"), rows, right=NUMBERS)
    failed = [j for j in found if j.state != "done"]
    for j in failed:
        print(f"trainer: {j.error or f'{j.video_name}: {j.state}'}", file=sys.stderr)
    return 1 if failed else 0


def _result_cells(review: dict | None) -> tuple[str | None, int | None, str | None]:
    if review is None:
        return None, None, None
    fault = feedback.main_fault(review.get("faults", []), review.get("feedback", []))
    return fmt(review.get("score"), ".0f"), review.get("stroke_count"), fault


def _progress_line(found) -> None:
    finished = sum(j.finished for j in found)
    frames = sum(j.frames_done for j in found if not j.finished)
    total = sum(j.frames_total or 0 for j in found if not j.finished)
    share = (finished + (frames / total if total else 0)) / len(found)
    running = sum(j.state == "running" for j in found)
    failed = sum(j.state in ("failed", "cancelled") for j in found)
    bar = "#" * int(share * 30)
    sys.stderr.write(
        f"\rreviewing [{bar:<30}] {finished}/{len(found)} finished, {running} running, "
        f"{failed} failed  "
    )
    sys.stderr.flush()


def _add_batch(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("batch", help="review many videos as jobs, in parallel, and wait")
    p.add_argument("videos", nargs="+", type=Path, metavar="VIDEO_OR_DIR")
    p.add_argument("--technique", required=True, help="a name from `trainer techniques`")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--person", help="whose videos they all are")
    who.add_argument(
        "--person-from-name",
        action="store_true",
        help="each video's person is its file name up to the first '_' (ana_neck.mp4: ana)",
    )
    p.add_argument("--calibration", type=Path, help="calibration JSON: the marked path")
    p.add_argument(
        "--kind",
        choices=("video", "practice", "reference"),
        default="video",
        help="the attempts' kind (reference: an instructor's demonstration)",
    )
    p.add_argument(
        "--fixed-path",
        action="store_true",
        help="keep the path where it is in the picture (default: it follows the body part)",
    )
    p.add_argument(
        "--no-exposure",
        action="store_true",
        help="give the hand model the frames as filmed, dark ones not brightened (to compare); "
        "TRAINER_EXPOSURE=off does the same",
    )
    p.add_argument(
        "--workers",
        type=int,
        help="worker processes to start here (SQLite default: TRAINER_JOB_WORKERS, the "
        "cores; PostgreSQL default: none, `trainer worker`s take the jobs)",
    )
    p.add_argument("--no-wait", action="store_true", help="queue the jobs and return")
    p.set_defaults(func=_cmd_batch)


# --- trainer jobs -----------------------------------------------------------------------------


def _cmd_jobs(args: argparse.Namespace) -> int:
    from trainer.store.jobs.job_store import JobStore

    found = JobStore.open().list(state=args.state, person=args.person, limit=args.limit)
    if args.json:
        write_json([j.to_dict() for j in found], None)
        return 0
    rows = [
        (
            j.id,
            j.state,
            f"{j.share:.0%}" if j.state == "running" else None,
            j.person,
            j.video_name,
            j.technique,
            j.attempt_id,
            j.error,
        )
        for j in found
    ]
    header = ("id", "state", "done", "person", "video", "technique", "attempt", "error")
    print_table(header, rows, right=NUMBERS)
    return 0


def _cmd_jobs_retry(args: argparse.Namespace) -> int:
    from trainer.jobs.submit import Submitter

    submitter = Submitter(Settings.from_env())
    job = submitter.retry(args.id)
    submitter.start_workers()
    print(f"job {job.id} ({job.video_name}) queued again")
    return 0


def _cmd_jobs_cancel(args: argparse.Namespace) -> int:
    from trainer.store.jobs.job_store import JobStore

    job = JobStore.open().cancel(args.id)
    said = "cancelled" if job.state == "cancelled" else "stopping (its worker stops in a second)"
    print(f"job {job.id} ({job.video_name}) {said}")
    return 0


def _add_jobs(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("jobs", help="list review jobs; retry or cancel one")
    p.add_argument("--state", choices=("queued", "running", "done", "failed", "cancelled"))
    p.add_argument("--person", help="only this person's jobs")
    p.add_argument("--limit", type=int, default=100, help="newest first, at most this many")
    p.add_argument("--json", action="store_true", help="print a JSON list of jobs")
    p.set_defaults(func=_cmd_jobs)
    jsub = p.add_subparsers(dest="jobs_command")
    retry = jsub.add_parser("retry", help="run a failed or cancelled job again")
    retry.add_argument("id", type=int)
    retry.set_defaults(func=_cmd_jobs_retry)
    cancel = jsub.add_parser("cancel", help="cancel a queued job, or stop a running one")
    cancel.add_argument("id", type=int)
    cancel.set_defaults(func=_cmd_jobs_cancel)


# --- trainer worker ---------------------------------------------------------------------------


def _cmd_worker(args: argparse.Namespace) -> int:
    from trainer.jobs.worker import serve

    # A service's log: each job taken and how it ended, with the worker's process id.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(process)d %(name)s: %(message)s")
    serve(Settings.from_env(), args.concurrency, args.burst)
    return 0


def _add_worker(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "worker", help="run review jobs (PostgreSQL: on any machine with the database URL)"
    )
    p.add_argument("--concurrency", type=int, default=1, help="processes: one per core")
    p.add_argument("--burst", action="store_true", help="stop once no job is queued")
    p.set_defaults(func=_cmd_worker)


def _cmd_purge(args: argparse.Namespace) -> int:
    from trainer.store.jobs.job_store import JobStore
    from trainer.store.jobs.purge import purge

    settings = Settings.from_env()
    jobs = JobStore.open(settings)
    with jobs.store:
        gone = purge(jobs, settings.keep_days)
    print(
        f"removed {gone.annotated} annotated copies and {gone.uploads} uploads of failed or "
        f"cancelled jobs, older than {settings.keep_days:g} days"
    )
    return 0


def _add_purge(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "purge",
        help="remove what no one asked to keep, after TRAINER_KEEP_DAYS (default 7): annotated "
        "copies of jobs whose video was not kept, uploads of failed or cancelled jobs "
        "(the workers do it too)",
    )
    p.set_defaults(func=_cmd_purge)


COMMANDS = (_add_batch, _add_jobs, _add_worker, _add_purge)
