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
import torch.nn.functional as F  # noqa: E402

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

# add writes into an existing array on both sides; exp, tanh, erf and gelu return a new one on both sides.
for n in [1 << 20, 1 << 24]:
    x = torch.randn(n)
    y = torch.randn(n)
    out = torch.empty(n)
    report(f"add n={n} threads={threads}", "torch", 12.0 * n / best_seconds(lambda: torch.add(x, y, out=out)) / 1e9, "GB/s")
    report(f"exp n={n} threads={threads}", "torch", 8.0 * n / best_seconds(lambda: torch.exp(x)) / 1e9, "GB/s")
    report(f"tanh n={n} threads={threads}", "torch", 8.0 * n / best_seconds(lambda: torch.tanh(x)) / 1e9, "GB/s")
    report(f"sum n={n} threads={threads}", "torch", 4.0 * n / best_seconds(lambda: x.sum()) / 1e9, "GB/s")
    rows = x.view(-1, 1024)
    report(f"softmax n={n} threads={threads}", "torch", 8.0 * n / best_seconds(lambda: torch.softmax(rows, 1)) / 1e9, "GB/s")
    report(f"sumRows n={n} threads={threads}", "torch", 4.0 * n / best_seconds(lambda: rows.sum(1, keepdim=True)) / 1e9, "GB/s")
    report(f"maxRows n={n} threads={threads}", "torch", 4.0 * n / best_seconds(lambda: rows.amax(1, keepdim=True)) / 1e9, "GB/s")
    xn, yn, on = x.numpy(), y.numpy(), out.numpy()
    report(f"add n={n} threads={threads}", "numpy", 12.0 * n / best_seconds(lambda: np.add(xn, yn, out=on)) / 1e9, "GB/s")
    report(f"erf n={n} threads={threads}", "torch", 8.0 * n / best_seconds(lambda: torch.erf(x)) / 1e9, "GB/s")
    report(f"gelu n={n} threads={threads}", "torch", 8.0 * n / best_seconds(lambda: F.gelu(x)) / 1e9, "GB/s")
    report(f"geluTanh n={n} threads={threads}", "torch", 8.0 * n / best_seconds(lambda: F.gelu(x, approximate="tanh")) / 1e9, "GB/s")

# 3x3 convolutions, padding 1 (ConvBenchmark): forward, and backward = input and weight gradients.
for layer in ["32x3x32x32to32", "32x32x16x16to64"]:
    dims, o = layer.split("to")
    n, c, h, w = map(int, dims.split("x"))
    x = torch.randn(n, c, h, w)
    weight = torch.randn(int(o), c, 3, 3)
    grad = torch.randn(n, int(o), h, w)
    flops = 2.0 * n * int(o) * c * 9 * h * w
    report(f"conv2dForward layer={layer} threads={threads}", "torch",
           flops / best_seconds(lambda: F.conv2d(x, weight, padding=1)) / 1e9, "GFLOPS")
    backward = lambda: torch.ops.aten.convolution_backward(grad, x, weight, None, [1, 1], [1, 1], [1, 1], False, [0, 0], 1,
                                                           [True, True, False])
    report(f"conv2dBackward layer={layer} threads={threads}", "torch", 2 * flops / best_seconds(backward) / 1e9, "GFLOPS")

# 2x2 pooling of [32, 64, 32, 32] (PoolBenchmark): bytes as PoolBenchmark.bytes counts them.
x = torch.randn(32, 64, 32, 32)
elements = x.numel()
values, indices = F.max_pool2d(x, 2, return_indices=True)
grad = torch.randn_like(values)
report(f"maxPool2d threads={threads}", "torch",
       (4.0 * elements + 8.0 * elements / 4) / best_seconds(lambda: F.max_pool2d(x, 2, return_indices=True)) / 1e9, "GB/s")
report(f"maxPool2dBackward threads={threads}", "torch",
       (8.0 * elements / 4 + 4.0 * elements) / best_seconds(lambda: torch.ops.aten.max_pool2d_with_indices_backward(
           grad, x, [2, 2], [2, 2], [0, 0], [1, 1], False, indices)) / 1e9, "GB/s")
report(f"avgPool2d threads={threads}", "torch",
       (4.0 * elements + 4.0 * elements / 4) / best_seconds(lambda: F.avg_pool2d(x, 2)) / 1e9, "GB/s")

# Training steps (TrainingStepBenchmark): forward, cross-entropy, zero_grad, backward, Adam step, eager mode.
def training_step(model_name):
    torch.manual_seed(1)
    nn = torch.nn
    batch = 64
    if model_name == "mlp64":
        net = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
        x = torch.randn(batch, 64)
    elif model_name == "mlp784":
        net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
        x = torch.randn(batch, 784)
    elif model_name == "cnn":
        net = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1),
                            nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(128, 10))
        x = torch.randn(batch, 1, 8, 8)
    else:
        batch = 32
        lstm, head = nn.LSTM(32, 64, batch_first=True), nn.Linear(64, 10)
        net = nn.ModuleList([lstm, head])
        x = torch.randn(batch, 16, 32)
    y = torch.arange(batch) % 10
    forward = (lambda t: head(lstm(t)[0][:, 15])) if model_name == "lstm" else net
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        loss = loss_fn(forward(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()
    return step


for model_name in ["mlp64", "mlp784", "cnn", "lstm"]:
    report(f"step model={model_name} threads={threads}", "torch", 1 / best_seconds(training_step(model_name)), "steps/s")

# One optimizer step over 1M parameters with a gradient (OptimizerStepBenchmark), the single-tensor update.
for name in ["adam", "sgd"]:
    p = torch.nn.Parameter(torch.randn(1 << 20))
    p.grad = torch.randn(1 << 20)
    opt = torch.optim.Adam([p], lr=1e-3, foreach=False) if name == "adam" \
        else torch.optim.SGD([p], lr=1e-3, momentum=0.9, foreach=False)
    opt.step()
    report(f"step n={1 << 20} optimizer={name} threads={threads}", "torch", (1 << 20) / best_seconds(opt.step) / 1e6, "Mparams/s")
