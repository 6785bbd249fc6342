"""Programme loudness: ITU-R BS.1770 measurement, one gain for the whole programme, and a true-peak limiter."""

from __future__ import annotations

from typing import Any

import numpy as np

_OVERSAMPLE = 4


def measure_lufs(samples: Any, rate: int) -> float:
    """Integrated loudness (LUFS) of float samples in [-1, 1]."""
    import pyloudnorm

    if len(samples) < rate // 2:
        samples = np.concatenate([samples, np.zeros(rate // 2 - len(samples) + 1, dtype=samples.dtype)])
    return float(pyloudnorm.Meter(rate).integrated_loudness(samples.astype(np.float64)))


def true_peak_envelope(samples: Any) -> Any:
    """Per-sample true peak: the largest magnitude among 4× oversampled values around each sample."""
    from scipy.signal import resample_poly

    up = np.abs(resample_poly(samples, _OVERSAMPLE, 1))
    n = len(samples)
    up = up[: n * _OVERSAMPLE].reshape(n, _OVERSAMPLE).max(axis=1)
    return np.maximum(up, np.abs(samples))


def true_peak_db(samples: Any) -> float:
    """True peak in dBTP."""
    peak = float(true_peak_envelope(samples).max()) if len(samples) else 0.0
    return 20 * np.log10(peak) if peak > 0 else -120.0


def limit(samples: Any, rate: int, ceiling_db: float) -> Any:
    """Bring every true peak under ``ceiling_db`` with a smooth look-ahead gain (no hard clipping)."""
    from scipy.ndimage import maximum_filter1d, minimum_filter1d, uniform_filter1d

    ceiling = 10 ** (ceiling_db / 20)
    envelope = true_peak_envelope(samples)
    if envelope.max() <= ceiling:
        return samples
    radius = max(1, int(rate * 0.004))
    needed = np.minimum(1.0, ceiling / np.maximum(maximum_filter1d(envelope, size=2 * radius + 1), 1e-9))
    # A minimum over ±radius followed by a mean over ±radius/2 never exceeds what each sample needs.
    gain = uniform_filter1d(minimum_filter1d(needed, size=2 * radius + 1), size=radius | 1)
    return samples * gain


def normalize_programme(pcm: bytes, rate: int, target_lufs: float, ceiling_db: float) -> tuple[bytes, float, float]:
    """Apply one gain to reach ``target_lufs``, limit true peaks to ``ceiling_db``; return PCM, LUFS, dBTP."""
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    if not len(x) or not np.any(x):
        return pcm, -70.0, -120.0
    for _ in range(4):
        current = measure_lufs(x, rate)
        if not np.isfinite(current):
            break
        delta = target_lufs - current
        if abs(delta) < 0.2:
            break
        x = limit(x * np.float32(10 ** (delta / 20)), rate, ceiling_db)
    x = limit(x, rate, ceiling_db)
    out = np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2")
    final = out.astype(np.float32) / 32768.0
    return out.tobytes(), measure_lufs(final, rate), true_peak_db(final)
