"""Share posters: drawing them (posters/s), with baselines measured in the same run.

50 published demo projects each get their poster (750×1000 PNG, Chinese, QR code of the short
link) drawn cold, with no cache: the drawing alone, and the poster's address through the
whole Django stack. Baselines in the same run: a blank 750×1000 PNG encoded the way posters
are (`images.png_bytes`: the floor of any poster) and the QR code alone. Then the same
addresses when the PNG is cached (a repeat, as chat apps and visitors fetch it), which is
what most requests are. The short links the posters make are rolled back.
"""

import itertools

from django.core.cache.backends.dummy import DummyCache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from PIL import Image

from bench.timing import measure, report
from gongyi.core import fonts, images
from gongyi.projects.models import Project
from gongyi.sharing import posters, project_kind, services

PROJECTS = 50
CACHED_ROUNDS = 4  # each cached address is asked this many times


class Rollback(Exception):
    """Raised to roll the benchmark's writes back."""


def run() -> None:
    if fonts.find_font() is None:
        print("skipped: the font fonts-wqy-zenhei is not installed (apt-get install it)")
        return
    projects = list(
        Project.objects.filter(status=Project.Status.PUBLISHED)
        .select_related("organisation", "district")
        .order_by("pk")[:PROJECTS]
    )
    if not projects:
        print("skipped: no demo projects (run without BENCH_REUSE)")
        return
    try:
        with transaction.atomic():
            measure_all(projects)
            raise Rollback
    except Rollback:
        pass


def contents_of(projects: list[Project]) -> list[posters.PosterContent]:
    contents = []
    for project in projects:
        link = services.link_for(project_kind.project_target(project))
        url = f"http://testserver{link.get_absolute_url()}"
        contents.append(project_kind.poster_content(project, url))
    return contents


def measure_all(projects: list[Project]) -> None:
    n = len(projects)
    contents = contents_of(projects)
    size = len(posters.render_png(contents[0]))
    drawing = itertools.cycle(contents)
    cold = measure(lambda: posters.render_png(next(drawing)), repeat=n)
    blank = measure(
        lambda: images.png_bytes(Image.new("RGB", images.PHONE_SIZE, "white")), repeat=n
    )
    qr_only = measure(lambda: images.qr(next(drawing).url, posters.QR_SIZE), repeat=n)

    client = Client()
    addresses = [reverse("sharing:project_poster", args=[p.number]) for p in projects]
    asking = itertools.cycle(addresses)
    real_cache = posters.cache
    posters.cache = DummyCache("none", {})  # every request draws its poster
    try:
        cold_request = measure(lambda: client.get(next(asking)), repeat=n)
    finally:
        posters.cache = real_cache
    for address in addresses:  # fill the cache
        client.get(address)
    cached = measure(lambda: client.get(next(asking)), repeat=n * CACHED_ROUNDS)

    report(f"poster drawn cold ({n} projects, {size // 1024} KB PNG)", cold)
    report("poster request, not cached (full stack)", cold_request)
    report("poster request, cached (full stack)", cached)
    report("baseline: blank 750x1000 PNG encoded", blank)
    report("baseline: the QR code alone", qr_only)
    print(f"{'posters drawn per second (cold)':<48} {cold['per_s']:9.1f}/s")
    print(f"{'cached poster requests per second':<48} {cached['per_s']:9.1f}/s")
    for label, baseline in (("a blank PNG", blank), ("the QR code alone", qr_only)):
        times = cold["p50_ms"] / baseline["p50_ms"]
        print(f"{'poster vs ' + label:<48} {times:8.1f}x the baseline's time (p50)")
    speedup = cold_request["p50_ms"] / cached["p50_ms"]
    print(f"{'cached vs drawn request':<48} {speedup:8.1f}x faster (p50)")
