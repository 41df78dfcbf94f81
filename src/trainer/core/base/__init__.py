"""Plumbing every layer uses: the project's errors, settings, typed document fields, bounded
reading of input files and atomic writing of output files.

May import: the standard library and numpy; nothing else of the trainer.
"""
