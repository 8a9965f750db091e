"""Public pages in-process through the whole Django stack (middleware, templates, queries).

Baseline: the home page, which renders the same base template with no queries of its own:
the ratio shows what each page's own work costs on top of the framework.
"""

from django.test import Client

from bench.timing import measure, report
from gongyi.orgs.models import Organisation


def run() -> None:
    client = Client()
    pages = [
        ("baseline: home page (base template, no queries)", "/"),
        ("organisation page", None),
        ("organisation list, page 1", "/orgs/"),
        ("organisation list, filtered + search", "/orgs/?kind=community_team&q=%E7%A4%BE%E5%8C%BA"),
    ]
    org = Organisation.objects.filter(status="verified").order_by("pk").first()
    pages[1] = ("organisation page", f"/orgs/{org.pk}/")
    results = {}
    for label, url in pages:
        results[label] = figures = measure(lambda url=url: client.get(url), repeat=300)
        report(label, figures)
    base = results[pages[0][0]]["p50_ms"]
    for label, _ in pages[1:]:
        print(f"{label:<48} {results[label]['p50_ms'] / base:8.2f}x the baseline's time (p50)")
