"""`make bench`: every benchmark of the project, printed in one run."""

from __future__ import annotations

import bench_accuracy
import bench_compare
import bench_follow
import bench_jobs
import bench_light
import bench_live
import bench_practice
import bench_render
import bench_tracking


def main() -> None:
    bench_tracking.main()
    bench_accuracy.main()
    bench_light.main()
    bench_render.main()
    bench_live.bench_live()
    bench_compare.main()
    bench_practice.main()
    bench_follow.main()
    bench_jobs.main()


if __name__ == "__main__":
    main()
