"""Browse: the project list with two filters and a keyword, over HTTP at 64 connections.

Served by granian (WSGI, 2 workers, DEBUG off) from the benchmark database (50,000 projects
on PostgreSQL); the baseline is /healthz on the same server, a bare Django view that returns
two bytes. Also measured: the same list uncached (a different keyword per request).
"""

import os
import pathlib
import tempfile
from urllib.parse import quote

from bench import wrk
from bench.server import granian
from gongyi.projects.models import Project
from gongyi.regions.models import Region

SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
WORDS = [
    "老人",
    "垃圾分类",
    "智能手机",
    "文明引导",
    "图书馆",
    "儿童",
    "急救",
    "环保",
    "社区",
    "助老",
]


def run() -> None:
    if not wrk.have_wrk():
        print("skipped: wrk is not installed (apt-get install wrk)")
        return
    district = Region.objects.get(code="310101")
    count = Project.objects.filter(status="published").count()
    path = f"/projects/?district={district.pk}&mode=onsite&q={quote('老人')}"
    with granian(workers=2, threads=8) as url:
        bare = wrk.run(f"{url}/healthz", seconds=SECONDS)
        wrk.report("baseline: bare Django endpoint /healthz", bare)
        listing = wrk.run(f"{url}{path}", seconds=SECONDS)
        wrk.report(f"project list, 2 filters + keyword ({count} published)", listing)
        uncached = wrk.run(url, seconds=SECONDS, script=keyword_script(district.pk))
        wrk.report("same, a different keyword each request (cache misses)", uncached)
    print(f"{'list vs bare endpoint (req/s)':<52} {listing['per_s'] / bare['per_s']:8.0%}")
    print(
        f"{'uncached list vs bare endpoint (req/s)':<52} {uncached['per_s'] / bare['per_s']:8.0%}"
    )


def keyword_script(district_id: int) -> pathlib.Path:
    """A wrk script cycling through keywords and pages, so the 5-second cache rarely helps."""
    paths = [
        f"/projects/?district={district_id}&mode=onsite&q={quote(w)}&page={p}"
        for w in WORDS
        for p in range(1, 4)
    ]
    lua = "paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n"
    lua += "i = 0\nfunction request()\n  i = i + 1\n"
    lua += '  return wrk.format("GET", paths[(i % #paths) + 1] .. "&n=" .. i)\nend\n'
    script = pathlib.Path(tempfile.gettempdir()) / "gongyi-browse.lua"
    script.write_text(lua)
    return script
