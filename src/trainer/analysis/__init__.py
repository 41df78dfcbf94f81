"""A video file through capture and core: track the thumb, judge the strokes; and attempts as
material to compare (from the store or a review file, to path profiles and references).

May import: trainer.capture, trainer.core, trainer.documents, trainer.overlay, trainer.store.
"""
