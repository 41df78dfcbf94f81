"""The project's JSON files (tracks, reviews, calibrations): read with bounds, every field
checked, and written whole.

May import: trainer.core.
"""
