"""The pages: request, list and download certificates; verify; passports from apply to verify."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from gongyi.certificates import pdf, services, throttle
from gongyi.certificates.models import Certificate, Passport
from gongyi.service import services as ledger_services

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def embedded_fonts(response) -> set[str]:
    reader = PdfReader(io.BytesIO(response.content))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                names.add(str(font["/BaseFont"]))
    return names


@pytest.fixture
def certificate(holder, records):
    return services.certificate_request(volunteer=holder)


# --- requesting and listing -----------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client):
    for name in ("certificates:mine", "certificates:request", "passport:mine", "passport:queue"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_request_form_issues_a_certificate(client, holder, records, project):
    client.force_login(holder.user)
    form = client.get(reverse("certificates:request"))
    assert form.status_code == 200
    assert project.title in form.content.decode()
    response = client.post(
        reverse("certificates:request"),
        {"start": "2026-04-01", "end": "", "projects": [project.pk], "language": "en"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("certificates:mine")
    certificate = Certificate.objects.get()
    assert certificate.total_minutes == 90 and certificate.language == "en"
    listing = client.get(reverse("certificates:mine")).content.decode()
    assert certificate.number in listing and certificate.code in listing


def test_bad_request_says_why_and_changes_nothing(client, holder, records):
    client.force_login(holder.user)
    backwards = client.post(
        reverse("certificates:request"),
        {"start": "2026-05-01", "end": "2026-04-01", "language": "zh-hans"},
    )
    assert backwards.status_code == 400
    assert "开始日期不能晚于结束日期" in backwards.content.decode()
    empty = client.post(
        reverse("certificates:request"), {"start": "2031-01-01", "language": "zh-hans"}
    )
    assert empty.status_code == 400
    assert "没有可证明的" in empty.content.decode()
    garbage = client.post(reverse("certificates:request"), {"start": "x", "projects": ["y"]})
    assert garbage.status_code == 400
    assert not Certificate.objects.exists()


def test_plain_account_is_asked_to_register(client, outsider):
    client.force_login(outsider)
    for name in ("certificates:mine", "certificates:request", "passport:mine"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert reverse("accounts:register_volunteer") in response.content.decode()


# --- the PDF --------------------------------------------------------------------------------


def test_chinese_pdf_carries_the_name_title_and_hours(client, holder, certificate, cjk_font):
    client.force_login(holder.user)
    response = client.get(reverse("certificates:pdf", args=[certificate.number]))
    assert response.status_code == 200
    assert certificate.number in response["Content-Disposition"]
    text = pdf_text(response)
    assert "志愿服务证明" in text
    assert "梁小明" in text
    assert "5.0" in text and "小时" in text
    assert holder.id_number_masked in text
    assert certificate.code in text
    assert "阳光志愿者协会" in text and "黄浦区图书馆志愿服务队" in text
    assert any("WenQuanYi" in name for name in embedded_fonts(response))  # not STSong


def test_english_pdf_on_request(client, holder, certificate, cjk_font):
    client.force_login(holder.user)
    response = client.get(reverse("certificates:pdf", args=[certificate.number]) + "?lang=en")
    text = pdf_text(response)
    assert "Certificate of Volunteer Service" in text
    assert "梁小明" in text and "5.0 hours" in text


def test_only_the_holder_downloads(client, certificate, other_volunteer, outsider, staff_user):
    url = reverse("certificates:pdf", args=[certificate.number])
    assert client.get(url).status_code == 302  # anonymous: log in first
    for someone in (other_volunteer.user, outsider, staff_user):
        client.force_login(someone)
        assert client.get(url).status_code == 403
    client.force_login(other_volunteer.user)
    assert client.get(reverse("certificates:pdf", args=["ZM209900000001"])).status_code == 404


def test_missing_font_is_a_clear_page_not_a_500(client, holder, certificate, monkeypatch):
    monkeypatch.setattr(pdf, "find_font", lambda: None)
    client.force_login(holder.user)
    response = client.get(reverse("certificates:pdf", args=[certificate.number]))
    assert response.status_code == 503
    assert "字体" in response.content.decode()


def test_revoked_pdf_says_so(client, holder, certificate, records, org_admin, cjk_font):
    correction = ledger_services.record_correct(
        actor=org_admin, record=records[0], minutes=10, reason="更正"
    )
    services.revoke_for_correction(record=records[0], correction=correction)
    client.force_login(holder.user)
    text = pdf_text(client.get(reverse("certificates:pdf", args=[certificate.number])))
    assert "已撤销" in text


# --- public verification --------------------------------------------------------------------


def verify(client, number, code, **extra):
    return client.get(reverse("certificates:verify"), {"number": number, "code": code}, **extra)


def test_genuine_certificate_shows_masked_contents(client, certificate):
    response = verify(client, certificate.number, certificate.code)
    page = response.content.decode()
    assert response.status_code == 200
    assert "真实有效" in page
    assert "梁**" in page and "梁小明" not in page
    assert certificate.id_number_masked in page
    assert "5.0" in page and "社区老人智能手机培训" in page


def test_qr_url_opens_the_verdict(client, certificate):
    response = client.get(certificate.verify_path)
    assert response.status_code == 200 and "真实有效" in response.content.decode()


def test_forged_code_and_unknown_number_answer_the_same(client, certificate):
    wrong = "A" * 8 if certificate.code != "A" * 8 else "B" * 8
    forged = verify(client, certificate.number, wrong).content.decode()
    unknown = verify(client, "ZM209912345678", certificate.code).content.decode()
    for page in (forged, unknown):
        assert "未找到" in page and "梁" not in page
    assert "真实有效" not in forged


def test_revoked_certificate_shows_date_and_reason(
    client, certificate, records, org_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ledger_services.record_correct(
            actor=org_admin, record=records[1], minutes=30, reason="签退时间有误"
        )
    page = verify(client, certificate.number, certificate.code).content.decode()
    certificate.refresh_from_db()
    assert "已撤销" in page and "签退时间有误" in page
    assert certificate.revoked_at.astimezone().strftime("%Y-%m-%d") in page


def test_guessing_is_throttled_per_address(client, certificate, monkeypatch):
    monkeypatch.setattr(throttle, "MAX_FAILURES", 3)
    for i in range(3):
        assert verify(client, certificate.number, f"WRONG{i:03d}").status_code == 200
    blocked = verify(client, certificate.number, certificate.code)
    assert blocked.status_code == 429 and "真实有效" not in blocked.content.decode()
    elsewhere = verify(client, certificate.number, certificate.code, REMOTE_ADDR="10.9.9.9")
    assert elsewhere.status_code == 200 and "真实有效" in elsewhere.content.decode()


def test_verify_page_survives_bad_input(client):
    assert client.get(reverse("certificates:verify")).status_code == 200
    assert verify(client, "x" * 500, "y" * 500).status_code == 200
    assert verify(client, "", "").status_code == 200


# --- passports ------------------------------------------------------------------------------


def test_passport_apply_issue_verify_journey(
    client, holder, records, district, district_admin, cjk_font
):
    client.force_login(holder.user)
    form = client.get(reverse("passport:mine"))
    assert form.status_code == 200 and "申请" in form.content.decode()
    applied = client.post(reverse("passport:mine"), {"district": district.pk})
    assert applied.status_code == 302
    passport = Passport.objects.get()
    assert passport.status == "applied"
    client.force_login(district_admin)
    queue = client.get(reverse("passport:queue")).content.decode()
    assert holder.number in queue
    client.post(reverse("passport:issue", args=[passport.pk]))
    passport.refresh_from_db()
    assert passport.number == "HZ310101000001"
    client.force_login(holder.user)
    page = client.get(reverse("passport:mine")).content.decode()
    assert passport.number in page and "5.0" in page and "阳光志愿者协会" in page
    assert "data:image/svg+xml" in page  # the QR code
    text = pdf_text(client.get(reverse("passport:pdf")))
    assert "公益护照" in text and passport.number in text and "梁小明" in text
    assert "5.0" in text and "阳光志愿者协会" in text
    client.logout()
    public = client.get(passport.verify_path).content.decode()
    assert "真实有效" in public and "梁**" in public and "梁小明" not in public
    forged = client.get(reverse("passport:verify"), {"number": passport.number, "code": "X"})
    assert "未找到" in forged.content.decode()


def test_passport_rejection_with_reason(client, holder, district, district_admin):
    passport = services.passport_apply(volunteer=holder, district=district)
    client.force_login(district_admin)
    client.post(reverse("passport:reject", args=[passport.pk]), {"reason": ""})
    passport.refresh_from_db()
    assert passport.status == "applied"  # a reason is needed
    client.post(reverse("passport:reject", args=[passport.pk]), {"reason": "请先完善资料"})
    passport.refresh_from_db()
    assert passport.status == "rejected"
    client.force_login(holder.user)
    page = client.get(reverse("passport:mine")).content.decode()
    assert "请先完善资料" in page


def test_passport_queue_and_decisions_refuse_others(
    client, holder, district, other_district_admin, outsider, city_admin
):
    passport = services.passport_apply(volunteer=holder, district=district)
    client.force_login(outsider)
    assert client.get(reverse("passport:queue")).status_code == 403
    for someone in (outsider, other_district_admin, city_admin, holder.user):
        client.force_login(someone)
        assert client.post(reverse("passport:issue", args=[passport.pk])).status_code == 403
        response = client.post(reverse("passport:reject", args=[passport.pk]), {"reason": "x"})
        assert response.status_code == 403
    client.force_login(other_district_admin)
    assert holder.number not in client.get(reverse("passport:queue")).content.decode()
    passport.refresh_from_db()
    assert passport.status == "applied"


def test_passport_pdf_before_issue_goes_back(client, holder, district):
    services.passport_apply(volunteer=holder, district=district)
    client.force_login(holder.user)
    response = client.get(reverse("passport:pdf"))
    assert response.status_code == 302 and response["Location"] == reverse("passport:mine")


def test_pages_answer_in_english(client, holder, certificate):
    client.force_login(holder.user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("certificates:mine"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My certificates" in page
    assert certificate.first_served_on == date(2026, 3, 1)
