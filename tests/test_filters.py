import numpy as np

from trainer.capture.filters import OneEuroFilter


def _run(f, t, x):
    return np.array([f(ti, xi) for ti, xi in zip(t, x, strict=True)])


def test_reduces_jitter_at_rest():
    rng = np.random.default_rng(0)
    t = np.arange(300) / 30
    x = 100 + rng.normal(0, 2.0, (300, 2))
    out = _run(OneEuroFilter(min_cutoff=1.0, beta=0.0), t, x)
    assert out[30:].std(axis=0).max() < 0.5 * x[30:].std(axis=0).min()


def test_follows_fast_motion_with_little_lag_when_beta_is_high():
    t = np.arange(60) / 30
    x = np.stack([t * 300, np.zeros_like(t)], axis=1)  # 300 px/s
    slow = _run(OneEuroFilter(min_cutoff=1.0, beta=0.0), t, x)
    fast = _run(OneEuroFilter(min_cutoff=1.0, beta=0.05), t, x)
    lag_slow = x[-1, 0] - slow[-1, 0]
    lag_fast = x[-1, 0] - fast[-1, 0]
    assert lag_fast < 0.5 * lag_slow


def test_uses_real_time_steps():
    """The same motion sampled at 15 and 60 fps ends at about the same filtered place."""
    results = []
    for fps in (15, 60):
        t = np.arange(0, 2, 1 / fps)
        x = np.stack([np.minimum(t, 1.0) * 200, np.zeros_like(t)], axis=1)
        results.append(_run(OneEuroFilter(min_cutoff=1.0, beta=0.0), t, x)[-1, 0])
    assert abs(results[0] - results[1]) < 5


def test_reset_starts_again_at_the_next_point():
    """After a gap (the tracker resets) the filter starts at the new position instead of
    gliding from the old one; without a reset it lags far behind the jump."""
    kept, reset = OneEuroFilter(min_cutoff=1.0, beta=0.0), OneEuroFilter(min_cutoff=1.0, beta=0.0)
    for f in (kept, reset):
        f(0.0, np.array([0.0, 0.0]))
        f(0.1, np.array([0.0, 0.0]))
    reset.reset()
    jump = np.array([100.0, 100.0])
    np.testing.assert_allclose(reset(0.3, jump), jump)
    assert kept(0.3, jump)[0] < 90
