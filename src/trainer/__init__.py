"""trainer: a camera-based massage technique trainer.

The public API, importable from here: `trainer.Track`, `trainer.load_technique`,
`trainer.analyse_video`, `trainer.Store`, ... Each name is imported on first use (PEP 562), so
`import trainer.core.track` stays plain numpy and never loads MediaPipe, OpenCV, PyAV,
SQLAlchemy, Streamlit or matplotlib.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Public name -> the module that defines it.
_SOURCES = {
    "Track": "trainer.core.track",
    "Technique": "trainer.core.technique",
    "load_technique": "trainer.core.technique",
    "Calibration": "trainer.core.path.calibration",
    "Review": "trainer.core.judging.verdict",
    "LiveScorer": "trainer.core.judging.live_scorer",
    "Settings": "trainer.core.base.settings",
    "TrainerError": "trainer.core.base.errors",
    "Analysis": "trainer.analysis.video",
    "analyse_video": "trainer.analysis.video",
    "Store": "trainer.store.store",
}

__all__ = list(_SOURCES)


def __getattr__(name: str) -> Any:
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module 'trainer' has no attribute {name!r}")
    value = getattr(importlib.import_module(source), name)
    globals()[name] = value  # later look-ups find it without coming back here
    return value


def __dir__() -> list[str]:
    return sorted([*__all__, "__version__"])
