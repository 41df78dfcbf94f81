"""Attempts set side by side: references made from a demonstration, comparisons of two path
profiles, and a person's score history.

May import: trainer.core.judging and every room below it.
"""
