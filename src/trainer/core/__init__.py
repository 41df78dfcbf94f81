"""The judging core: tracks, the path, techniques, strokes, metrics, verdicts, feedback, compare.

Plain numpy and dataclasses. Everything here works on a `Track` (times and thumb positions),
whatever produced it, so the live and offline reviews run the same code.
May import: numpy, dtaidistance and the standard library only (checked by `make lint`).
"""
