"""`make bench`: every benchmark of the project, printed in one run."""

from __future__ import annotations

import bench_tracking


def main() -> None:
    bench_tracking.main()


if __name__ == "__main__":
    main()
