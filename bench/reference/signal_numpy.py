"""Straightforward numpy versions of the signal engine's magnification and apex spotting.

The reference for bench/signal.bench.ts: the same steps written the obvious way (full
Laplacian pyramid at full resolution, colour conversion of every frame, one 3D FFT per block
per window), vectorised with numpy but without the engine's shortcuts. It reads the clips
the benchmark wrote, writes its outputs next to them for comparison, and prints its timings
as JSON.

Usage: python3 signal_numpy.py DIR MAG_W MAG_H MAG_FRAMES APEX_W APEX_H APEX_FRAMES RUNS
DIR holds magnify_input.f32 and apex_input.f32 (interleaved RGB float32 frames).
"""
import json
import sys
import time

import numpy as np

KERNEL = np.array([1, 4, 6, 4, 1], dtype=np.float64) / 16
RGB_TO_YIQ = np.array([[0.299, 0.587, 0.114], [0.596, -0.274, -0.322], [0.211, -0.523, 0.312]])
YIQ_TO_RGB = np.linalg.inv(RGB_TO_YIQ)


def filter_axis(a, axis):
    """Binomial filter along an axis with 'reflect' (edge sample not repeated) borders."""
    pad = [(0, 0)] * a.ndim
    pad[axis] = (2, 2)
    p = np.pad(a, pad, mode="reflect")
    n = a.shape[axis]
    return sum(KERNEL[j] * np.take(p, np.arange(j, j + n), axis=axis) for j in range(5))


def reduce(img):
    return filter_axis(filter_axis(img, 0)[::2], 1)[:, ::2]


def expand(img, shape):
    tall = np.zeros((shape[0],) + img.shape[1:])
    tall[::2] = img
    tall = 2 * filter_axis(tall, 0)
    wide = np.zeros((shape[0], shape[1]) + img.shape[2:])
    wide[:, ::2] = tall
    return 2 * filter_axis(wide, 1)


def level_count(h, w):
    levels = 1
    while h >= 5 and w >= 5:
        levels, h, w = levels + 1, h // 2, w // 2
    return levels


def gains(h, w, levels, alpha=10.0, lambda_c=16.0):
    delta = lambda_c / 8 / (1 + alpha)
    lam = np.sqrt(h * h + w * w) / 3
    out = [0.0] * levels
    for level in range(levels - 1, -1, -1):
        if 0 < level < levels - 1:
            out[level] = min(alpha, (lam / delta / 8 - 1) * 2)
        lam /= 2
    return out


def laplacian(img, levels):
    bands = []
    for _ in range(levels - 1):
        low = reduce(img)
        bands.append(img - expand(low, img.shape))
        img = low
    return bands + [img]


def collapse(bands):
    img = bands[-1]
    for band in reversed(bands[:-1]):
        img = band + expand(img, band.shape)
    return img


def magnify(frames, r1=0.4, r2=0.05, chrom=0.1):
    """MIT amplify_spatial_lpyr_temporal_iir on frames (F×H×W×3, float64 RGB)."""
    _, h, w, _ = frames.shape
    levels = level_count(h, w)
    g = gains(h, w, levels)
    attenuation = np.array([1.0, chrom, chrom])
    out = np.empty_like(frames)
    out[0] = frames[0]
    lp1 = laplacian(frames[0] @ RGB_TO_YIQ.T, levels)
    lp2 = [b.copy() for b in lp1]
    for t in range(1, len(frames)):
        yiq = frames[t] @ RGB_TO_YIQ.T
        bands = laplacian(yiq, levels)
        filtered = []
        for level, band in enumerate(bands):
            lp1[level] = (1 - r1) * lp1[level] + r1 * band
            lp2[level] = (1 - r2) * lp2[level] + r2 * band
            filtered.append(g[level] * (lp1[level] - lp2[level]))
        change = collapse(filtered) * attenuation
        out[t] = np.clip((yiq + change) @ YIQ_TO_RGB.T, 0, 1)
    return out


def lbp(grey):
    c = grey[1:-1, 1:-1]
    neighbours = [grey[:-2, :-2], grey[:-2, 1:-1], grey[:-2, 2:], grey[1:-1, 2:],
                  grey[2:, 2:], grey[2:, 1:-1], grey[2:, :-2], grey[1:-1, :-2]]
    return sum((n >= c).astype(np.float64) * (1 << p) for p, n in enumerate(neighbours))


def spot_apex(frames, window=61, grid=6, radius=31):
    """Li, Huang, Zhao apex spotting: one fftn per block per window."""
    grey = frames @ np.array([0.299, 0.587, 0.114])
    codes = np.stack([lbp(g) for g in grey])
    count, h, w = codes.shape
    half = window // 2
    padded = codes[np.clip(np.arange(-half, count + half), 0, count - 1)]
    ys = [(i * h) // grid for i in range(grid + 1)]
    xs = [(i * w) // grid for i in range(grid + 1)]
    masks = {}

    def mask(bh, bw):
        if (bh, bw) not in masks:
            t, y, x = np.meshgrid(np.arange(window) - window // 2, np.arange(bh) - bh // 2,
                                  np.arange(bw) - bw // 2, indexing="ij")
            d2 = t ** 2 + (y * window / bh) ** 2 + (x * window / bw) ** 2
            masks[(bh, bw)] = d2 >= radius ** 2
        return masks[(bh, bw)]

    scores = np.zeros(count)
    for n in range(count):
        cube = padded[n:n + window]
        for by in range(grid):
            for bx in range(grid):
                block = cube[:, ys[by]:ys[by + 1], xs[bx]:xs[bx + 1]]
                spectrum = np.fft.fftshift(np.fft.fftn(block))
                scores[n] += np.abs(spectrum[mask(*block.shape[1:])]).sum()
    return scores


def timed(fn, runs):
    """Wall and CPU milliseconds of each run, and the last result."""
    wall, cpu, result = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return {"wallMs": wall, "cpuMs": cpu}, result


def main():
    folder = sys.argv[1]
    mw, mh, mf, aw, ah, af, runs = (int(v) for v in sys.argv[2:9])
    mag = np.fromfile(f"{folder}/magnify_input.f32", dtype=np.float32).reshape(mf, mh, mw, 3)
    apex = np.fromfile(f"{folder}/apex_input.f32", dtype=np.float32).reshape(af, ah, aw, 3)
    mag_times, magnified = timed(lambda: magnify(mag.astype(np.float64)), runs)
    apex_times, scores = timed(lambda: spot_apex(apex.astype(np.float64)), runs)
    magnified.astype(np.float32).tofile(f"{folder}/magnify_numpy.f32")
    scores.tofile(f"{folder}/apex_numpy.f64")
    print(json.dumps({"numpy": np.__version__, "magnify": mag_times, "apex": apex_times}))


if __name__ == "__main__":
    main()
