"""A video file through capture and core: track the thumb, judge the strokes (video.py), and
draw the judged video (drawn.py: the one entry point the Review page and the jobs share).

May import: trainer.capture, trainer.core, trainer.overlay, trainer.store.
"""
