"""People and organisations the orgs tests name, on top of the shared ones in gongyi/testing."""

import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from stdnum.cn import uscc

from gongyi.orgs import services
from gongyi.orgs.models import Membership
from gongyi.testing.people import make_user

_serial = itertools.count(1)


def credit_code(n: int | None = None) -> str:
    """A valid unified social credit code, different for each n."""
    body = f"91310101MA{n if n is not None else next(_serial):07d}"
    return body + uscc.calc_check_digit(body)


def org_fields(district, **changes) -> dict:
    fields = dict(
        name=f"黄浦区助老志愿者协会{next(_serial)}",
        kind="association",
        credit_code=credit_code(),
        district=district,
        community=None,
        address="南京东路100号",
        contact_name="王建国",
        contact_phone="13912345678",
        introduction="为社区老人提供服务。",
    )
    fields.update(changes)
    return fields


def image_upload(name="logo.png", fmt="PNG", size=(64, 64)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 16, 46)).save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture
def applicant(db):
    """A user who applies to register an organisation."""
    return make_user(display_name="申请人")


@pytest.fixture
def pending_org(applicant, district):
    return services.org_register(actor=applicant, **org_fields(district))


@pytest.fixture
def member(org):
    """An active plain member of `org`."""
    user = make_user(display_name="普通成员")
    Membership.objects.create(organisation=org, user=user, role="member", status="active")
    return user


def form_data_for_edit(org, **changes) -> dict:
    """The edit form's POST data for the organisation as it is, with changes."""
    data = {
        "name": org.name,
        "kind": org.kind,
        "credit_code": org.credit_code or "",
        "district": org.district_id,
        "community": org.community_id or "",
        "address": org.address,
        "contact_name": org.contact_name,
        "contact_phone": org.contact_phone,
        "introduction": org.introduction,
    }
    data.update(changes)
    return data
