"""Strokes judged: the rules, verdicts, the summary of a session, the streaming judge (offline
and live alike), the live scorer and live hands, advice on the light, and every word of
feedback.

May import: trainer.core.strokes, trainer.core.path, the modules at core's top and
trainer.core.base.
"""
