"""A video file through capture and core: track the thumb, judge the strokes (video.py), and
draw the judged video (drawn.py: the one entry point the Review page, the jobs and the command
line share); attempts as material to compare (material.py: from the store or a review file,
to path profiles and references).

May import: trainer.capture, trainer.core, trainer.documents, trainer.overlay, trainer.store.
"""
