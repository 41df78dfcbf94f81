"""Guided practice: a routine's exercises on their clocks, and the cues spoken aloud.

May import: trainer.core.judging and every room below it.
"""
