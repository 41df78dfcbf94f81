"""trainer: a camera-based massage technique trainer."""

__version__ = "0.1.0"
