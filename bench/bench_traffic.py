"""What counting page views costs each request (gongyi.traffic.middleware).

1. The middleware alone around a trivial HTML view, called with RequestFactory requests from
   1,000 visitors, against the same view behind a pass-through middleware. Its buffer writes
   to the database as it does in production (when the minute changes, or every 5 s).
2. The home page through the whole Django stack, with and without the middleware in
   settings.MIDDLEWARE, request by request in turns: its share of a real page's time (a few
   microseconds in a millisecond or more: on a busy machine, inside the noise).
"""

import statistics
import time

from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings

from bench.timing import measure, report
from gongyi.traffic import buffer
from gongyi.traffic.middleware import TrafficMiddleware
from gongyi.traffic.models import TrafficMinute

BROWSER = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1 MicroMessenger/8.0.47"
)
MIDDLEWARE_PATH = "gongyi.traffic.middleware.TrafficMiddleware"


def trivial_view(request):
    return HttpResponse(b"<!doctype html><p>hi</p>", content_type="text/html; charset=utf-8")


class PassThrough:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)


def cost(ours: dict[str, float], baseline: dict[str, float], label: str) -> None:
    extra_p50_us = (ours["p50_ms"] - baseline["p50_ms"]) * 1000
    extra_mean_us = (1 / ours["per_s"] - 1 / baseline["per_s"]) * 1e6
    print(
        f"{label:<48} {extra_p50_us:+.1f} µs (p50), {extra_mean_us:+.1f} µs (mean, with the"
        f" writes): {ours['p50_ms'] / baseline['p50_ms']:.2f}x the baseline's time (p50)"
    )


def run() -> None:
    factory = RequestFactory()
    requests = [
        factory.get(
            "/projects/", headers={"user-agent": BROWSER}, REMOTE_ADDR=f"10.0.{n // 250}.{n % 250}"
        )
        for n in range(1000)
    ]
    turn = iter(range(10**9))
    counted, plain = TrafficMiddleware(trivial_view), PassThrough(trivial_view)
    before = sum(TrafficMinute.objects.values_list("visits", flat=True))
    started = time.perf_counter()
    baseline = measure(lambda: plain(requests[next(turn) % 1000]), repeat=50_000)
    ours = measure(lambda: counted(requests[next(turn) % 1000]), repeat=50_000)
    buffer.flush()
    took = time.perf_counter() - started
    written = sum(TrafficMinute.objects.values_list("visits", flat=True)) - before
    report("baseline: trivial view, pass-through middleware", baseline)
    report("trivial view behind TrafficMiddleware", ours)
    cost(ours, baseline, "counting a page view")
    print(f"{'page views written to the database':<48} {written:8d} of 50,001 in {took:.1f} s")

    # Request by request in turns, so that both sides see the same load on the machine.
    counted_client = Client(headers={"user-agent": BROWSER})
    without = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE_PATH]
    with override_settings(MIDDLEWARE=without):
        bare_client = Client(headers={"user-agent": BROWSER})
        bare_client.get("/")  # loads its middleware chain, without ours
    counted_client.get("/")
    page_baseline, page_ours = in_turns(
        lambda: bare_client.get("/"), lambda: counted_client.get("/"), repeat=600
    )
    buffer.flush()
    report("baseline: home page, full stack, not counted", page_baseline)
    report("home page, full stack, counted", page_ours)
    cost(page_ours, page_baseline, "counting on a real page")


def in_turns(first, second, *, repeat: int) -> tuple[dict[str, float], dict[str, float]]:
    """Call first and second in turns; figures of each as `measure` gives them."""
    samples: tuple[list[float], list[float]] = ([], [])
    turns = ((first, samples[0]), (second, samples[1]))
    for n in range(repeat):
        for fn, into in turns if n % 2 else turns[::-1]:  # who goes first changes too
            t0 = time.perf_counter()
            fn()
            into.append((time.perf_counter() - t0) * 1000)
    return figures(samples[0]), figures(samples[1])


def figures(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    return {
        "p50_ms": statistics.median(samples),
        "p99_ms": samples[min(len(samples) - 1, int(len(samples) * 0.99))],
        "per_s": len(samples) / (sum(samples) / 1000),
    }
