"""One person's scores over time, as parallel arrays for plots and tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ScoreHistory:
    """One person's scored attempts over time, oldest first; N attempts.

    Attributes:
        attempt_id: (N,) int64.
        created_at: (N,) datetime64[us] in UTC.
        score: (N,) float64; NaN for an attempt saved without a score.
        technique: (N,) str.
    """

    person: str
    attempt_id: np.ndarray
    created_at: np.ndarray
    score: np.ndarray
    technique: np.ndarray

    def __len__(self) -> int:
        return len(self.attempt_id)
