"""Small timing helpers shared by the benchmarks."""

import statistics
import time
from collections.abc import Callable


def measure(fn: Callable[[], object], *, repeat: int) -> dict[str, float]:
    """Call fn `repeat` times; return p50/p99 in milliseconds and calls per second."""
    fn()  # warm caches, open the connection
    samples = []
    started = time.perf_counter()
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    total = time.perf_counter() - started
    samples.sort()
    return {
        "p50_ms": statistics.median(samples),
        "p99_ms": samples[min(len(samples) - 1, int(len(samples) * 0.99))],
        "per_s": repeat / total,
    }


def report(label: str, figures: dict[str, float]) -> None:
    print(
        f"{label:<48} p50 {figures['p50_ms']:8.3f} ms   p99 {figures['p99_ms']:8.3f} ms"
        f"   {figures['per_s']:9.1f}/s"
    )


def ratio(label: str, ours: dict[str, float], baseline: dict[str, float]) -> None:
    print(f"{label:<48} {baseline['p50_ms'] / ours['p50_ms']:8.1f}x faster (p50)")
