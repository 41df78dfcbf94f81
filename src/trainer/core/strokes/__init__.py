"""Movements cut out of a track and measured: the segmenter, stroke metrics, the hand that
strokes, and the two-hand pair on its side lines.

May import: trainer.core.path, the modules at core's top and trainer.core.base.
"""
