"""Where the path lies: the calibration (two ends or a marked line, in the camera's own
picture), polylines, the path's motion with the body part, and the gate that keeps a hand to
the path's corridor.

May import: trainer.core.base and the modules at core's top (track, hands, technique).
"""
