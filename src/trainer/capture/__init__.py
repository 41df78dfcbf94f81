"""Frames in, thumb tracks out: video files, the hand model, the landmarker and the tracker.

Owns everything that touches pixels on the way in: PyAV (video.py), MediaPipe (landmarker.py,
the only module that imports it) and OpenCV. Produces `trainer.core.track.Track`.
May import: trainer.core, numpy, av, cv2, mediapipe.
"""
