"""Certificates: issuing them and generating their PDFs (certificates/s), with baselines.

200 demo volunteers get 20 ledger records each and one certificate covering them (2-page
A4 PDFs, Chinese, embedded WenQuanYi Zen Hei subset, vector QR code). Measured in the same
run: a blank one-page PDF with one line in the same embedded font (the floor of any PDF), and
the certificate's public HTML verification page through the whole Django stack.
Everything is written inside one transaction that is rolled back: the database is left as
it was (no ledger rows, no certificate numbers used).
"""

import itertools
from datetime import date, timedelta

from django.db import transaction
from django.test import Client, RequestFactory
from django.utils import timezone

from bench.timing import measure, report
from gongyi.accounts.models import Volunteer
from gongyi.certificates import pdf, selectors, services, verification
from gongyi.projects.models import Project
from gongyi.service import services as service_services
from gongyi.service.models import ServiceRecord

VOLUNTEERS = 200
RECORDS_EACH = 20


class Rollback(Exception):
    """Raised to roll the benchmark's writes back."""


def append_records(volunteer: Volunteer, projects: list[Project]) -> None:
    """Append RECORDS_EACH records to the volunteer's hash chain, through the ledger's own append
    (the benchmark runs alone in its transaction: no one else appends meanwhile)."""
    now = timezone.now()
    for i, project in zip(range(RECORDS_EACH), itertools.cycle(projects), strict=False):
        service_services.append_locked(
            volunteer=volunteer,
            now=now,
            project=project,
            organisation_id=project.organisation_id,
            activity=project.title[:100],
            served_on=date(2025, 1, 1) + timedelta(days=7 * i),
            place="南京东路街道社区文化活动中心（南京东路100号）",
            content="社区服务：陪伴老人学习使用智能手机",
            minutes=150,
            leader_name="李四",
            source=ServiceRecord.Source.ENTRY,
        )


def run() -> None:
    if pdf.find_font() is None:
        print("skipped: the font fonts-wqy-zenhei is not installed (apt-get install it)")
        return
    volunteers = list(Volunteer.objects.order_by("pk")[:VOLUNTEERS])
    projects = list(Project.objects.filter(status="published").order_by("pk")[:RECORDS_EACH])
    if not volunteers or not projects:
        print("skipped: no demo volunteers or projects (run without BENCH_REUSE)")
        return
    try:
        with transaction.atomic():
            measure_all(volunteers, projects)
            raise Rollback
    except Rollback:
        pass


def measure_all(volunteers: list[Volunteer], projects: list[Project]) -> None:
    for volunteer in volunteers:
        append_records(volunteer, projects)
    people = itertools.cycle(volunteers)
    issued = []

    def issue():
        issued.append(services.certificate_request(volunteer=next(people)))

    issuing = measure(issue, repeat=len(volunteers) - 1)
    request = RequestFactory().get("/")
    certificates = itertools.cycle(issued)

    def render_pdf():
        certificate = next(certificates)
        return pdf.certificate_pdf(
            certificate,
            selectors.covered_rows(certificate),
            verify_url=verification.certificate_verify_url(request, certificate),
        )

    size = len(render_pdf())
    rendering = measure(render_pdf, repeat=len(issued))
    blank = measure(pdf.blank_pdf, repeat=len(issued))
    client = Client()
    page = measure(lambda: client.get(next(certificates).verify_path), repeat=len(issued))

    n = len(issued)
    report(f"issue a certificate ({RECORDS_EACH} records, {n}x)", issuing)
    report(f"certificate PDF, {RECORDS_EACH} records ({size // 1024} KB)", rendering)
    report("baseline: blank 1-page PDF, same embedded font", blank)
    report("baseline: HTML verification page (full stack)", page)
    print(f"{'certificate PDFs per second':<48} {rendering['per_s']:9.1f}/s")
    for label, baseline in (("a blank PDF", blank), ("the HTML verification page", page)):
        times = rendering["p50_ms"] / baseline["p50_ms"]
        print(f"{'PDF vs ' + label:<48} {times:8.1f}x the baseline's time (p50)")
