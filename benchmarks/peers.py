#!/usr/bin/python3
"""The peers' figures for the workloads of the JMH suite: NumPy (OpenBLAS) and PyTorch on this machine.

Run by benchmarks/compare with a thread count; OPENBLAS_NUM_THREADS must be set before NumPy loads, so
each thread count is its own process. Prints one line per workload: name, library, rate, unit.
"""
import os
import sys
import time

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
os.environ["OPENBLAS_NUM_THREADS"] = str(threads)
os.environ["OMP_NUM_THREADS"] = str(threads)
import numpy as np  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(threads)


def best_seconds(f, min_time=1.0):
    """Median of repeated timings after a warm-up, about min_time seconds in all."""
    f()
    start = time.perf_counter()
    f()
    once = max(time.perf_counter() - start, 1e-7)
    reps = max(3, int(min_time / once))
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2]


def report(name, lib, rate, unit):
    print(f"{name}\t{lib}\t{rate:.1f}\t{unit}", flush=True)


rng = np.random.default_rng(1)
for shape in ["256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048", "64x784x256"]:
    m, k, n = map(int, shape.split("x"))
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    bt = np.ascontiguousarray(rng.standard_normal((n, k), dtype=np.float32)).T
    flops = 2.0 * m * n * k
    report(f"matmul shape={shape} threads={threads}", "numpy", flops / best_seconds(lambda: a @ b) / 1e9, "GFLOPS")
    report(f"matmulTransposedB shape={shape} threads={threads}", "numpy", flops / best_seconds(lambda: a @ bt) / 1e9, "GFLOPS")
    ta, tb, tbt = torch.from_numpy(a), torch.from_numpy(b), torch.from_numpy(bt)
    report(f"matmul shape={shape} threads={threads}", "torch", flops / best_seconds(lambda: ta @ tb) / 1e9, "GFLOPS")
    report(f"matmulTransposedB shape={shape} threads={threads}", "torch", flops / best_seconds(lambda: ta @ tbt) / 1e9, "GFLOPS")

for n in [1 << 20, 1 << 24]:
    x = torch.randn(n)
    y = torch.randn(n)
    out = torch.empty(n)
    report(f"add n={n} threads={threads}", "torch", 12.0 * n / best_seconds(lambda: torch.add(x, y, out=out)) / 1e9, "GB/s")
    report(f"exp n={n} threads={threads}", "torch", 8.0 * n / best_seconds(lambda: torch.exp(x, out=out)) / 1e9, "GB/s")
    report(f"tanh n={n} threads={threads}", "torch", 8.0 * n / best_seconds(lambda: torch.tanh(x, out=out)) / 1e9, "GB/s")
    report(f"sum n={n} threads={threads}", "torch", 4.0 * n / best_seconds(lambda: x.sum()) / 1e9, "GB/s")
    xn, yn, on = x.numpy(), y.numpy(), out.numpy()
    report(f"add n={n} threads={threads}", "numpy", 12.0 * n / best_seconds(lambda: np.add(xn, yn, out=on)) / 1e9, "GB/s")
