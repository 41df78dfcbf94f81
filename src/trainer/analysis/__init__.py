"""A video file through capture and core: track the thumb, judge the strokes.

May import: trainer.capture, trainer.core, trainer.overlay, trainer.store.
"""
