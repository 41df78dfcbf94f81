"""The judging core: tracks, the path, techniques, strokes, metrics, verdicts, feedback, compare.

Plain numpy and dataclasses. Everything here works on a `Track` (times and thumb positions),
whatever produced it, so the live and offline reviews run the same code.

Its rooms, lowest first (each may import only the rooms below it, checked by `make lint`):
- `base`: plumbing every layer uses (errors, settings, typed fields, bounded input files,
  atomic output files);
- at the top of the folder: `track`, `hands`, `technique` and `routine` with their TOML folders;
- `path`: where the path lies (calibration, polyline, the path's motion, the hand gate);
- `strokes`: movements cut out of a track and measured, the hand that strokes, the two-hand pair;
- `judging`: rules, verdicts, the summary, the streaming judge, live scoring, light, feedback;
- `comparing`: references, comparisons and a person's score history;
- `guided`: guided sessions and their spoken cues.

May import: numpy, dtaidistance and the standard library only (checked by `make lint`).
"""
