"""Live practice: one webcam stream scored frame by frame, and the pool of trackers.

No Streamlit here: the page hands frames in on another thread and reads snapshots back.
May import: trainer.capture, trainer.core, trainer.overlay, trainer.store.
"""
