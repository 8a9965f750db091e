"""Issuing, freezing and revoking certificates; applying for, issuing and rejecting passports."""

import re
from datetime import date

import pytest
from django.utils import timezone

from gongyi import permissions
from gongyi.accounts.models import StaffRole
from gongyi.certificates import numbers, selectors, services
from gongyi.certificates.models import Certificate, CertificateRecord, Passport
from gongyi.certificates.tests.conftest import make_record
from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.core.models import AuditEntry
from gongyi.notices.models import Notice
from gongyi.service import services as ledger_services
from gongyi.service.selectors import total_minutes
from gongyi.testing.people import make_user, make_volunteer

pytestmark = pytest.mark.django_db


# --- issuing --------------------------------------------------------------------------------


def test_certificate_is_issued_at_once_and_frozen(holder, records, org):
    certificate = services.certificate_request(volunteer=holder)
    year = timezone.localdate().year
    assert re.fullmatch(rf"ZM{year}\d{{8}}", certificate.number)
    assert re.fullmatch(r"[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}", certificate.code)
    assert certificate.is_live
    assert certificate.holder_name == "梁小明"
    assert certificate.id_number_masked == holder.id_number_masked
    assert "*" in certificate.id_number_masked
    assert certificate.volunteer_number == holder.number
    assert certificate.total_minutes == 300 and certificate.hours == "5.0"
    assert certificate.record_count == 3
    assert (certificate.first_served_on, certificate.last_served_on) == (
        date(2026, 3, 1),
        date(2026, 5, 10),
    )
    assert certificate.organisations == [org.name, "黄浦区图书馆志愿服务队"]
    assert certificate.content == "社区服务、阅读推广"
    assert certificate.issuer == "上海市志愿服务平台"
    covered = CertificateRecord.objects.filter(certificate=certificate)
    assert sorted(covered.values_list("record_id", flat=True)) == sorted(r.pk for r in records)
    assert AuditEntry.objects.filter(action="certificate.issued", target_id=certificate.pk).exists()


def test_numbers_follow_each_other_and_codes_differ(holder, records):
    first = services.certificate_request(volunteer=holder)
    second = services.certificate_request(volunteer=holder)
    assert int(second.number[-8:]) == int(first.number[-8:]) + 1
    assert first.code != second.code


def test_new_year_starts_a_new_sequence(holder, records):
    last_year = timezone.now().replace(year=2025, month=6)
    old = services.certificate_request(volunteer=holder, now=last_year)
    assert old.number == "ZM202500000001"


def test_period_and_projects_choose_the_records(holder, records, project, other_project):
    april_on = services.certificate_request(volunteer=holder, start=date(2026, 4, 1))
    assert april_on.total_minutes == 150 and april_on.record_count == 2
    only_library = services.certificate_request(volunteer=holder, project_ids=[other_project.pk])
    assert only_library.total_minutes == 60
    assert only_library.scope == Certificate.Scope.PROJECTS
    assert only_library.organisations == ["黄浦区图书馆志愿服务队"]


def test_nothing_to_certify_is_refused_and_changes_nothing(holder, records):
    with pytest.raises(ServiceError) as refused:
        services.certificate_request(volunteer=holder, start=date(2030, 1, 1))
    assert refused.value.code == "no_records"
    with pytest.raises(ServiceError) as bad:
        services.certificate_request(volunteer=holder, start=date(2026, 5, 1), end=date(2026, 4, 1))
    assert bad.value.code == "bad_period"
    assert Certificate.objects.count() == 0


def test_only_effective_records_count(holder, records, org_admin):
    ledger_services.record_correct(
        actor=org_admin, record=records[1], minutes=30, reason="签退时间有误"
    )
    certificate = services.certificate_request(volunteer=holder)
    assert certificate.total_minutes == 150 + 30 + 60
    assert certificate.record_count == 3


def test_frozen_contents_survive_a_change_of_name(holder, records):
    certificate = services.certificate_request(volunteer=holder)
    holder.real_name = "梁大明"
    holder.save()
    certificate.refresh_from_db()
    assert certificate.holder_name == "梁小明"


# --- revocation -----------------------------------------------------------------------------


def test_correction_revokes_covering_certificates_and_tells_the_holder(
    holder, records, org_admin, django_capture_on_commit_callbacks
):
    covering = services.certificate_request(volunteer=holder)
    other = services.certificate_request(volunteer=holder, start=date(2026, 5, 1))
    with django_capture_on_commit_callbacks(execute=True):
        correction = ledger_services.record_correct(
            actor=org_admin, record=records[0], minutes=60, reason="签到时间有误"
        )
    covering.refresh_from_db()
    other.refresh_from_db()
    assert covering.status == Certificate.Status.REVOKED
    assert covering.revoked_at is not None
    assert covering.revoked_reason == "签到时间有误"
    assert covering.revoked_by_correction_id == correction.pk
    assert other.is_live  # it does not cover the corrected record
    notice = Notice.objects.get(user=holder.user, kind="certificate.revoked")
    assert covering.number in notice.title
    assert notice.url == "/certificates/new/"
    assert AuditEntry.objects.filter(action="certificate.revoked", target_id=covering.pk).exists()
    # The holder asks again and gets a live one with the corrected hours.
    again = services.certificate_request(volunteer=holder)
    assert again.is_live and again.total_minutes == 60 + 90 + 60


def test_volunteer_rejecting_a_record_revokes_too(
    holder, records, django_capture_on_commit_callbacks
):
    certificate = services.certificate_request(volunteer=holder)
    with django_capture_on_commit_callbacks(execute=True):
        ledger_services.record_reject(actor=holder.user, record=records[2], reason="我没有参加")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revoked_reason == "我没有参加"


def test_revoking_twice_changes_nothing(holder, records):
    certificate = services.certificate_request(volunteer=holder)
    correction = make_record(
        holder,
        records[0].project,
        minutes=0,
        source="correction",
        corrects=records[0],
        reason="更正",
    )
    assert services.revoke_for_correction(record=records[0], correction=correction) == [certificate]
    assert services.revoke_for_correction(record=records[0], correction=correction) == []
    assert Notice.objects.filter(kind="certificate.revoked").count() == 1


# --- verification look-ups ------------------------------------------------------------------


def test_find_needs_the_right_code(holder, records):
    certificate = services.certificate_request(volunteer=holder)
    found = selectors.find_certificate(number=certificate.number, code=certificate.code)
    assert found == certificate
    typed = f" {certificate.code[:4].lower()}-{certificate.code[4:]} "
    assert selectors.find_certificate(number=certificate.number.lower(), code=typed) == certificate
    wrong = "A" * 8 if certificate.code != "A" * 8 else "B" * 8
    assert selectors.find_certificate(number=certificate.number, code=wrong) is None
    assert selectors.find_certificate(number="ZM000000000000", code=certificate.code) is None


def test_codes_avoid_confusable_characters():
    for _ in range(200):
        assert not set(numbers.new_code()) & set("01ILO")


# --- stars ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "stars"),
    [(0, 0), (99.9, 0), (100, 1), (299, 1), (300, 2), (600, 3), (1000, 4), (1499, 4), (1500, 5)],
)
def test_stars_for_hours(hours, stars):
    assert selectors.stars_for_hours(hours) == stars


# --- passports ------------------------------------------------------------------------------


def test_passport_apply_issue_and_summary(holder, records, district, district_admin, org):
    passport = services.passport_apply(volunteer=holder, district=district)
    assert passport.status == Passport.Status.APPLIED and passport.number is None
    again = services.passport_apply(volunteer=holder, district=district)
    assert again == passport and Passport.objects.count() == 1  # a repeat changes nothing
    issued = services.passport_issue(actor=district_admin, passport=passport)
    assert issued.number == "HZ310101000001"
    assert len(issued.code) == 8
    assert Notice.objects.filter(user=holder.user, kind="passport.issued").exists()
    summary = selectors.passport_summary(holder)
    assert summary.total_minutes == 300 and summary.hours == "5.0"
    assert summary.years == [(2026, 300)]
    assert [s.name for s in summary.stamps] == [org.name, "黄浦区图书馆志愿服务队"]
    assert [s.minutes for s in summary.stamps] == [240, 60]
    assert selectors.find_passport(number=issued.number, code=issued.code) == issued


def test_passport_goes_to_the_home_district(holder, street, other_district):
    holder.home_region = street
    holder.save()
    passport = services.passport_apply(volunteer=holder, district=other_district)
    assert passport.district == street.parent  # the home district wins over a choice


def test_passport_needs_a_district(holder, street):
    with pytest.raises(ServiceError) as refused:
        services.passport_apply(volunteer=holder)
    assert refused.value.code == "district_required"
    with pytest.raises(ServiceError) as bad:
        services.passport_apply(volunteer=holder, district=street)
    assert bad.value.code == "bad_district"
    assert not Passport.objects.exists()


def test_only_the_district_admin_of_its_district_issues(
    holder, district, other_district_admin, city_admin, org_admin
):
    passport = services.passport_apply(volunteer=holder, district=district)
    for someone in (other_district_admin, city_admin, org_admin, holder.user):
        with pytest.raises(NotAllowed):
            services.passport_issue(actor=someone, passport=passport)
    passport.refresh_from_db()
    assert passport.status == Passport.Status.APPLIED


def test_rejection_needs_a_reason_and_allows_a_new_application(holder, district, district_admin):
    passport = services.passport_apply(volunteer=holder, district=district)
    with pytest.raises(ServiceError):
        services.passport_reject(actor=district_admin, passport=passport, reason=" ")
    rejected = services.passport_reject(actor=district_admin, passport=passport, reason="信息不全")
    assert rejected.status == Passport.Status.REJECTED
    assert Notice.objects.filter(user=holder.user, kind="passport.rejected").exists()
    with pytest.raises(ServiceError) as decided:
        services.passport_issue(actor=district_admin, passport=passport)
    assert decided.value.code == "not_applied"
    fresh = services.passport_apply(volunteer=holder, district=district)
    assert fresh.pk != passport.pk and fresh.status == Passport.Status.APPLIED


def test_passport_numbers_are_per_district(holder, other_volunteer, district, other_district):
    admin = make_user()
    StaffRole.objects.create(user=admin, role="district_admin", region=district)
    StaffRole.objects.create(user=admin, role="district_admin", region=other_district)
    first = services.passport_apply(volunteer=holder, district=district)
    second = services.passport_apply(volunteer=other_volunteer, district=other_district)
    assert services.passport_issue(actor=admin, passport=first).number == "HZ310101000001"
    assert services.passport_issue(actor=admin, passport=second).number == "HZ310104000001"


def test_passport_queue_reads_every_applicant_hours_in_one_query(
    holder, records, project, district, district_admin, django_assert_num_queries
):
    others = [make_volunteer(real_name=f"申请人{i}") for i in range(3)]
    for minutes, person in zip((30, 60, 0), others, strict=True):
        if minutes:
            make_record(person, project, minutes=minutes)
    for person in (holder, *others):
        services.passport_apply(volunteer=person, district=district)
    permissions.admin_district_ids(district_admin)  # the user's roles, read once per request
    with django_assert_num_queries(1):
        queue = [
            (p.volunteer.number, p.total_minutes)
            for p in selectors.passport_queue(user=district_admin)
        ]
    expected = [(v.number, total_minutes(v)) for v in (holder, *others)]
    assert queue == expected and expected[0][1] == 300 and expected[-1][1] == 0


def test_pages_read_the_ledger_a_fixed_number_of_times(holder, records, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert [title for _pk, title in selectors.served_projects(volunteer=holder)] == [
            "图书馆阅读推广",
            "社区老人智能手机培训",
        ]
    with django_assert_num_queries(2):
        summary = selectors.passport_summary(holder)
    assert summary.total_minutes == total_minutes(holder) == 300
