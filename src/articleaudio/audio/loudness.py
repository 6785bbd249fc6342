"""Programme loudness per ITU-R BS.1770: a streaming meter, true-peak measurement and a look-ahead limiter.

Written with numpy alone. pyloudnorm measures the same quantity, but it needs the whole
programme in memory as float64 (650 MB for an hour at 22.05 kHz) and imports scipy.signal,
which costs about two seconds of start-up; both matter for a narration tool that streams.
The tests check this meter against ffmpeg's ebur128 filter.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

ABSOLUTE_GATE = -70.0
# The constant in BS.1770's loudness formula; it offsets the K-weighting filter's gain at 1 kHz.
LOUDNESS_OFFSET = -0.691
# Kaiser window beta of the oversampling filter: about 80 dB of stop-band attenuation.
KAISER_BETA = 8.0
_BLOCK_S = 0.4
_STEP_S = 0.1
_OVERSAMPLE = 4
_CHUNK = 1 << 16
_FFT_SIZE = 1 << 14
"""FFT length of the meter's overlap-add: at 2^14 points the transform stays in a core's cache, and the meter
took 45 ms per 120 s of audio here against 78 ms at 2^15 and 56 ms at 2^13 (the same figures to the last digit)."""
_TAPS_PER_PHASE = 12


def _biquad_coefficients(rate: int) -> list[tuple[tuple[float, float, float], tuple[float, float, float]]]:
    """The two K-weighting stages (high shelf, then RLB high-pass) for ``rate``, matched to BS.1770's 48 kHz filter."""
    # The analogue prototype of the standard's coefficients, as libebur128 derives it for any rate.
    f0, gain, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10 ** (gain / 20)
    vb = vh**0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf = (((vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0),
             (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0))  # fmt: skip
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1 + k / q + k * k
    highpass = ((1.0, -2.0, 1.0), (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0))
    return [shelf, highpass]


@cache
def k_weighting_response(rate: int) -> np.ndarray:
    """Impulse response of the K-weighting filter, long enough that the rest is below 1e-9."""
    length = 1 << max(12, math.ceil(math.log2(rate * 0.2)))
    signal = [0.0] * length
    signal[0] = 1.0
    for (b0, b1, b2), (a0, a1, a2) in _biquad_coefficients(rate):
        out = [0.0] * length
        x1 = x2 = y1 = y2 = 0.0
        for n, x in enumerate(signal):
            y = (b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2) / a0
            out[n] = y
            x2, x1, y2, y1 = x1, x, y1, y
        signal = out
    response = np.asarray(signal, dtype=np.float64)
    energy_left = np.cumsum((response**2)[::-1])[::-1]
    keep = int(np.argmax(energy_left < 1e-14 * energy_left[0])) or length
    return response[:keep]


@cache
def _spectrum(rate: int, size: int, unit: float) -> np.ndarray:
    return np.fft.rfft(k_weighting_response(rate), size) * unit


@cache
def _ones(size: int) -> np.ndarray:
    return np.ones(size)


def meter_step(rate: int) -> int:
    """Samples in one of the meter's 100 ms steps (a gating block is four of them)."""
    return round(rate * _STEP_S)


class LoudnessMeter:
    """Integrated loudness of mono audio fed in chunks of any size (float samples in [-1, 1], or in units of
    ``unit``: 1 / 32768 for the values of 16-bit samples).

    ``energies`` holds the K-weighted energy of each ``step`` samples (100 ms unless told): a meter
    with a finer step measures a stretch whose energies are later added into 100 ms steps.
    """

    def __init__(self, rate: int, step: int | None = None, unit: float = 1.0) -> None:
        self.rate = rate
        self.unit = unit
        """Folded into the filter: a power of two there gives the very figures of samples scaled by it first."""
        self.response = k_weighting_response(rate)
        self.tail = np.zeros(len(self.response) - 1)
        self.step = step or meter_step(rate)
        self.pending = np.zeros(0)
        self.chunks: list[np.ndarray] = []
        """The energies so far, in the pieces they were measured in (see ``energies``)."""

    def feed(self, samples: np.ndarray) -> None:
        """Add the next stretch of the programme."""
        chunk = _chunk(self.rate)
        for start in range(0, len(samples), chunk):
            self._feed(samples[start : start + chunk])

    def _add_squares(self, squares: np.ndarray) -> None:
        """Add the squares of the next K-weighted samples (float64) to the steps' energies."""
        step = self.step
        if len(self.pending):
            need = step - len(self.pending)
            if len(squares) < need:
                self.pending = np.concatenate([self.pending, squares])
                return
            self.chunks.append(np.array([self.pending.sum() + squares[:need].sum()]))
            squares = squares[need:]
        whole = len(squares) // step * step
        # a sum along a short last axis is slow in numpy: a product with ones (BLAS) is seven times faster at 9 samples
        self.chunks.append(squares[:whole].reshape(-1, step) @ _ones(step))
        self.pending = squares[whole:].copy()

    def feed_silence(self, frames: int) -> None:
        """Add ``frames`` of digital silence without filtering it (only the previous tail needs that)."""
        head = min(frames, len(self.response) - 1)
        if head:
            # With silence coming in, what comes out is the tail of what went before.
            self._add_squares(self.tail[:head] ** 2)
            self.tail = np.concatenate([self.tail[head:], np.zeros(head)])
        rest = frames - head
        if rest <= 0:
            return
        # The filter's memory is spent: what follows is exactly zero.
        squares = np.concatenate([self.pending, np.zeros(min(rest, self.step))])
        whole = (len(self.pending) + rest) // self.step
        if whole:
            first = float(squares[: self.step].sum()) if len(squares) >= self.step else float(squares.sum())
            self.chunks.append(np.concatenate([[first], np.zeros(whole - 1)]))
        self.pending = np.zeros((len(self.pending) + rest) % self.step) if whole else squares

    def _feed(self, samples: np.ndarray) -> None:
        y = _filtered(samples, self.rate, self.unit)
        y[: len(self.tail)] += self.tail
        weighted, self.tail = y[: len(samples)], y[len(samples) :].copy()
        self._add_squares(np.square(weighted, out=weighted))

    def integrated(self) -> float:
        """Gated integrated loudness in LUFS (−70 when everything is below the absolute gate)."""
        return integrated_loudness(self.energies, self.step)

    @property
    def energies(self) -> np.ndarray:
        """The K-weighted energy of each complete step so far."""
        return np.concatenate(self.chunks) if self.chunks else np.zeros(0)

    def take(self) -> np.ndarray:
        """The energies so far, which the meter then forgets (it goes on measuring where it was)."""
        energies, self.chunks = self.energies, []
        return energies


def integrated_loudness(energies: np.ndarray, step: int) -> float:
    """Gated integrated loudness (LUFS) from the K-weighted energy of each 100 ms step of ``step`` samples."""
    sub = np.asarray(energies, dtype=np.float64)
    per_block = round(_BLOCK_S / _STEP_S)
    if len(sub) < per_block:
        sub = np.concatenate([sub, np.zeros(per_block - len(sub))])
    blocks = np.convolve(sub, np.ones(per_block), mode="valid") / (step * per_block)
    with np.errstate(divide="ignore"):
        levels = LOUDNESS_OFFSET + 10 * np.log10(blocks)
    kept = blocks[levels > ABSOLUTE_GATE]
    if not len(kept):
        return ABSOLUTE_GATE
    relative = LOUDNESS_OFFSET + 10 * math.log10(kept.mean()) - 10
    final = blocks[(levels > ABSOLUTE_GATE) & (levels > relative)]
    return float(LOUDNESS_OFFSET + 10 * math.log10(final.mean()))


def _chunk(rate: int) -> int:
    """Samples filtered at a time: with the filter's tail, a chunk fills one FFT exactly."""
    return _FFT_SIZE - len(k_weighting_response(rate)) + 1


def _filtered(piece: np.ndarray, rate: int, unit: float = 1.0) -> np.ndarray:
    """Up to ``_chunk(rate)`` samples through the K-weighting filter, followed by the len(response) - 1 samples it
    rings on for into what comes next (overlap-add)."""
    x = piece.astype(np.float64)  # numpy's float64 FFT is several times faster than its float32 one
    length = len(x) + len(k_weighting_response(rate)) - 1
    size = max(4096, min(_FFT_SIZE, 1 << math.ceil(math.log2(length))))
    return np.fft.irfft(np.fft.rfft(x, size) * _spectrum(rate, size, unit), size)[:length]


def _k_weighted(samples: np.ndarray, rate: int) -> np.ndarray:
    """``samples`` through the K-weighting filter (float64, as long as ``samples``)."""
    out = np.zeros(len(samples) + len(k_weighting_response(rate)) - 1)
    chunk = _chunk(rate)
    for start in range(0, len(samples), chunk):
        y = _filtered(samples[start : start + chunk], rate)
        out[start : start + len(y)] += y
    return out[: len(samples)]


def measure_lufs(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness of a whole programme."""
    meter = LoudnessMeter(rate)
    meter.feed(samples)
    return meter.integrated()


@cache
def _interpolator() -> np.ndarray:
    """Windowed-sinc filter for 4× oversampling, as a (phase, tap) array."""
    taps = _OVERSAMPLE * _TAPS_PER_PHASE
    n = np.arange(taps) - (taps - 1) / 2
    h = np.sinc(n / _OVERSAMPLE) * np.kaiser(taps, KAISER_BETA)
    return np.ascontiguousarray(h.reshape(_TAPS_PER_PHASE, _OVERSAMPLE).T * _OVERSAMPLE / h.sum())


def _row_max(matrix: np.ndarray) -> np.ndarray:
    """The largest value of each row of a narrow matrix: a maximum over its few columns, ten times faster than
    numpy's reduction along a short last axis."""
    out = matrix[:, 0].copy()
    for column in range(1, matrix.shape[1]):
        np.maximum(out, matrix[:, column], out=out)
    return out


@cache
def filter_gain() -> float:
    """The most any oversampled value can exceed the largest sample magnitude in its window (the L1 norm of the
    loudest phase): a window whose samples all lie below ``level / filter_gain()`` cannot reach ``level``."""
    return float(np.abs(_interpolator()).sum(axis=1).max())


def true_peak_db(samples: np.ndarray) -> float:
    """True peak in dBTP."""
    if not len(samples):
        return -120.0
    peak = float(np.abs(np.asarray(samples)).max())
    # Only values above the loudest sample can raise the peak, and block_peaks is exact above it.
    peak = max(peak, float(block_peaks(samples, peak).max()))
    return 20 * math.log10(peak) if peak > 0 else -120.0


def _sliding(values: np.ndarray, width: int, op: np.ufunc, fill: float) -> np.ndarray:
    """Centred sliding maximum or minimum over ``width`` samples (van Herk / Gil-Werman, O(n))."""
    pad = width // 2
    padded = np.concatenate([np.full(pad, fill), values, np.full(pad, fill)])
    n = len(padded)
    total = -(-n // width) * width
    blocks = np.concatenate([padded, np.full(total - n, fill)]).reshape(-1, width)
    forward = op.accumulate(blocks, axis=1).ravel()
    backward = op.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    return op(backward[: n - width + 1], forward[width - 1 : n])


def limiter_gain(samples: np.ndarray, rate: int, ceiling_db: float) -> np.ndarray:
    """Per-sample gain (≤ 1) that keeps every true peak under ``ceiling_db`` with smooth 4 ms transitions.

    The gain is planned on blocks of 8 samples (0.4 ms at 22.05 kHz), each block taking the
    gain its loudest sample needs, which keeps the guarantee while doing an eighth of the work.
    """
    ceiling = 10 ** (ceiling_db / 20)
    return _limiter_for(block_peaks(samples, ceiling), len(samples), rate, ceiling)


_LIMITER_BLOCK = 8


def block_peaks(samples: np.ndarray, level: float) -> np.ndarray:
    """The true peak of each block of _LIMITER_BLOCK samples: exact wherever it exceeds ``level``, and at most
    ``level`` elsewhere (the block's loudest sample, or more).

    Found block by block: only the blocks that hold a sample loud enough to carry an oversampled value above
    ``level`` (its magnitude times filter_gain), or lie next to one, and whose loudest sample is above ``level`` / 2,
    are oversampled (a sample's window reaches 6 samples back and 5 on, never past the next block): for band-limited
    audio such as speech an inter-sample peak is well under 6 dB above its neighbours, so a quieter block cannot
    reach ``level``. Everywhere else the work is one maximum per block."""
    x = np.asarray(samples)
    n = len(x)
    block = _LIMITER_BLOCK
    blocks = -(-n // block)
    whole = n // block * block
    magnitude = np.abs(x)
    peaks = np.empty(blocks, dtype=np.float64)
    peaks[: whole // block] = _row_max(magnitude[:whole].reshape(-1, block))
    if whole < n:
        peaks[-1] = magnitude[whole:].max()
    if n < _TAPS_PER_PHASE:
        return peaks
    carry = peaks * filter_gain() > level
    near = carry.copy()
    near[1:] |= carry[:-1]
    near[:-1] |= carry[1:]
    chosen = np.flatnonzero(near & (peaks > level / 2))
    if not len(chosen):
        return peaks
    # The windows of a block's 8 samples lie in the 19 samples from 6 before it to 5 after it: its 32 oversampled
    # values are one row of those times a banded matrix, and all the blocks chosen are one matrix product (within a
    # few 1e-16 of filtering window by window, and seven times faster). It goes to BLAS, which the command line and
    # batch workers hold to one thread (batch.one_blas_thread): helper threads would spin after each call.
    for start in range(0, len(chosen), _CHUNK // block):
        which = chosen[start : start + _CHUNK // block]
        values = _block_filter() @ _rows(x, which * block - _TAPS_PER_PHASE // 2, _BLOCK_SPAN).T
        np.abs(values, out=values)
        if which[-1] == blocks - 1 and whole < n:
            values[(n - whole) * _OVERSAMPLE :, -1] = 0.0  # the last block's places past the end hold no samples
        peaks[which] = np.maximum(peaks[which], values.max(axis=0))
    return peaks


_BLOCK_SPAN = _LIMITER_BLOCK + _TAPS_PER_PHASE - 1


@cache
def _block_filter() -> np.ndarray:
    """The oversampling filter for a block: row ``4 j + p`` gives phase ``p`` after the block's sample ``j`` from the
    _BLOCK_SPAN samples around the block."""
    taps = _interpolator()[:, ::-1]
    matrix = np.zeros((_LIMITER_BLOCK * _OVERSAMPLE, _BLOCK_SPAN))
    for j in range(_LIMITER_BLOCK):
        matrix[j * _OVERSAMPLE : (j + 1) * _OVERSAMPLE, j : j + _TAPS_PER_PHASE] = taps
    return matrix


def _rows(x: np.ndarray, starts: np.ndarray, span: int) -> np.ndarray:
    """``x[start : start + span]`` for each of ``starts``, as float64 rows, zero where they reach past either end."""
    n = len(x)
    inside = (starts >= 0) & (starts + span <= n)
    if n >= span and inside.all():
        return sliding_window_view(x, span)[starts].astype(np.float64)
    rows = np.zeros((len(starts), span))
    if n >= span:
        rows[inside] = sliding_window_view(x, span)[starts[inside]]
    for k in np.flatnonzero(~inside):
        first, low, high = int(starts[k]), max(int(starts[k]), 0), min(int(starts[k]) + span, n)
        rows[k, low - first : high - first] = x[low:high]
    return rows


def _limiter_for(peaks: np.ndarray, n: int, rate: int, ceiling: float) -> np.ndarray:
    """limiter_gain for ``n`` samples from their block_peaks (exact wherever they exceed ``ceiling``)."""
    gains = _block_gains(peaks, rate, ceiling) if n else None
    return np.ones(n, dtype=np.float32) if gains is None else np.repeat(gains, _LIMITER_BLOCK)[:n]


def limit(samples: np.ndarray, rate: int, ceiling_db: float) -> None:
    """Multiply float32 ``samples`` by their limiter_gain, in place (one pass, and no gain per sample to build)."""
    ceiling = 10 ** (ceiling_db / 20)
    gains = _block_gains(block_peaks(samples, ceiling), rate, ceiling) if len(samples) else None
    if gains is None:
        return
    block = _LIMITER_BLOCK
    whole = len(samples) // block * block
    blocks = samples[:whole].view()
    blocks.shape = (-1, block)  # a view or an error, never a copy that would take the gain in silence
    blocks *= gains[: whole // block, None]
    samples[whole:] *= gains[-1]


def _block_gains(peaks: np.ndarray, rate: int, ceiling: float) -> np.ndarray | None:
    """The limiter's gain for each block of _LIMITER_BLOCK samples (float32), from their block_peaks; None when
    no block needs any."""
    if float(peaks.max()) <= ceiling:
        return None
    block = _LIMITER_BLOCK
    radius = max(1, int(rate * 0.004) // block + 1)
    width, smooth = 2 * radius + 1, radius | 1
    needed = np.minimum(1.0, ceiling / np.maximum(_sliding(peaks, width, np.maximum, 0.0), 1e-9))
    floor = _sliding(needed, width, np.minimum, 1.0)
    # A minimum over ±radius followed by a mean over ±radius/2 never exceeds what each block needs
    # (edge values repeated past the ends keep that true there too).
    half = smooth // 2
    padded = np.concatenate([np.full(half, floor[0]), floor, np.full(half, floor[-1])])
    cumulative = np.concatenate([[0.0], np.cumsum(padded)])
    gain = (cumulative[smooth:] - cumulative[:-smooth]) / smooth
    return gain.astype(np.float32)


LIMITER_CONTEXT_S = 0.02
"""Seconds of audio on each side that the limiter needs to treat a chunk exactly as the whole."""


def _read_span(spill: Any, start: int, frames: int) -> np.ndarray:
    spill.seek(start * 2)
    return np.frombuffer(spill.read(frames * 2), dtype="<i2").astype(np.float32) / 32768.0


_GAIN_STEPS = 5
_FIRST_SLOPE = 0.5
"""A first guess at how much of a dB more gain is heard, on speech whose peaks the limiter holds back."""
_GAIN_ACCURACY_DB = 0.05
_ENVELOPE_HEADROOM_DB = 3.0
GAIN_STEP_DB = 0.1
"""Planned gains are rounded to this step: a small correction to an article then leaves the gain, and so the
samples of its unchanged paragraphs, as they were (their encoded frames are reused), for at most 0.05 dB off target."""


def gain_for(
    clips: Sequence[np.ndarray], rate: int, raw_lufs: float | None, target: float, ceiling_db: float, gaps: Sequence[int] | None = None
) -> float:
    """The one gain (dB) that lands a programme measuring ``raw_lufs`` on ``target`` once the limiter
    has done its work; what each gain tried brings, limiter and all, is measured on ``clips`` (float samples).
    Rounded to GAIN_STEP_DB. ``raw_lufs`` None: the programme is ``clips`` themselves, measured here, each
    after its silence in ``gaps`` (frames; 0.3 s when not given): laid out as the programme lays them, since
    pauses change how much of a gating block speech fills."""
    silences = (
        [np.zeros(gap, dtype=np.float32) for gap in gaps]
        if gaps is not None
        else [np.zeros(round(0.3 * rate), dtype=np.float32)] * len(clips)
    )
    joined = (
        np.concatenate([part for gap, clip in zip(silences, clips, strict=True) for part in (gap, clip)])
        if clips
        else np.zeros(0, dtype=np.float32)
    )
    # K-weighting is linear and the limiter's gain changes slowly beside it (over 4 ms), so the limited programme
    # weighs as the weighted samples times the limiter's gain: the programme is filtered once, however many gains
    # are tried (within 0.001 LU of filtering each limited programme again, at four gains on a batch story's
    # opening; the twelve batch stories end on the same loudness to 0.01 LU either way).
    step = meter_step(rate)
    squares = _k_weighted(joined, rate) ** 2
    whole = len(squares) // step * step

    def loudness(gain: float, applied: np.ndarray | None = None) -> float:
        weighted = squares[:whole] if applied is None else squares[:whole] * applied[:whole].astype(np.float64) ** 2
        return integrated_loudness(weighted.reshape(-1, step).sum(axis=1) * 10 ** (gain / 10), step)

    base = loudness(0.0)
    raw_lufs = base if raw_lufs is None else raw_lufs
    if not math.isfinite(raw_lufs) or raw_lufs <= ABSOLUTE_GATE:
        return 0.0
    wanted = target - raw_lufs
    """How much louder the programme must become, limiter and all."""
    gain = wanted
    if base > ABSOLUTE_GATE:
        # Oversampling is linear too: the true peaks of the programme at a gain are its true peaks times the gain. So they
        # are worked out once, exact down to a level 3 dB below what the first gain brings to the ceiling, and again
        # only for a gain more than 3 dB above that one.
        ceiling = 10 ** (ceiling_db / 20)
        peaks, exact_from = np.zeros(0), math.inf

        def louder(gain: float) -> float:
            nonlocal peaks, exact_from
            scale = 10 ** (gain / 20)
            if ceiling / scale < exact_from:
                exact_from = ceiling / scale / 10 ** (_ENVELOPE_HEADROOM_DB / 20)
                peaks = block_peaks(joined, exact_from)
            return loudness(gain, _limiter_for(peaks * scale, len(joined), rate, ceiling)) - base

        # The limiter takes back part of every dB added to peaks above the ceiling, so adding back what it took
        # falls short. Secant steps on the measured rise find the gain that gives the rise wanted; once a gain
        # overshoots, the steps stay between the closest gains on either side (regula falsi).
        previous: tuple[float, float] | None = None
        reached = louder(gain)
        below: tuple[float, float] = (gain, reached)  # the limiter only takes away: the loss-free gain falls short
        above: tuple[float, float] | None = None
        best = (abs(reached - wanted), gain)
        for _ in range(_GAIN_STEPS):
            if best[0] <= _GAIN_ACCURACY_DB:
                break
            if above is not None:
                gain = below[0] + (wanted - below[1]) * (above[0] - below[0]) / (above[1] - below[1])
            else:
                slope = _FIRST_SLOPE if previous is None else (reached - previous[1]) / (gain - previous[0])
                previous = gain, reached
                gain += (wanted - reached) / min(1.0, max(0.1, slope))
            reached = louder(gain)
            if reached < wanted:
                below = max(below, (gain, reached))
            else:
                above = min(above or (gain, reached), (gain, reached))
            best = min(best, (abs(reached - wanted), gain))
        gain = best[1]
    return round(gain / GAIN_STEP_DB) * GAIN_STEP_DB


def plan_gain(spill: Any, rate: int, spans: Sequence[tuple[int, int]], raw_lufs: float, target: float, ceiling_db: float) -> float:
    """gain_for the whole programme in ``spill``, the limiter's loss measured on a sample of about a minute of its clips."""
    speech = sum(n for _, n in spans)
    step = max(1, math.ceil(speech / (60 * rate)))
    return gain_for([_read_span(spill, start, n) for start, n in spans[::step]], rate, raw_lufs, target, ceiling_db)
