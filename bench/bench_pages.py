"""Public pages in-process through the whole Django stack (middleware, templates, queries).

Baseline: the 404 page, which renders the same base template with no queries of its own:
the ratio shows what the page's own work costs on top of the framework.
"""

from django.test import Client

from bench.timing import measure, report


def run() -> None:
    client = Client()
    pages = [
        ("baseline: 404 page (same base template)", "/no-such-page/"),
        ("home page", "/"),
        ("organisation list, page 1", "/orgs/"),
        ("organisation list, filtered + search", "/orgs/?kind=community_team&q=%E7%A4%BE%E5%8C%BA"),
    ]
    results = {}
    for label, url in pages:
        results[label] = figures = measure(lambda url=url: client.get(url), repeat=300)
        report(label, figures)
    base = results[pages[0][0]]["p50_ms"]
    for label, _ in pages[1:]:
        print(f"{label:<48} {results[label]['p50_ms'] / base:8.2f}x the baseline's time (p50)")
