"""`make bench`: every benchmark of the project, printed in one run."""

from __future__ import annotations

import bench_compare
import bench_practice
import bench_tracking


def main() -> None:
    bench_tracking.main()
    bench_compare.main()
    bench_practice.main()


if __name__ == "__main__":
    main()
