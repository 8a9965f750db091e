"""The signup path's reads: by hand (core.rows) vs the same reads through the ORM.

Both load whole model instances (the shift with its project, the volunteer, the token's
user) from the same database in the same process; only the SQL building differs.
"""

from bench.timing import measure, ratio, report
from gongyi.accounts.api_auth import _TOKEN_AND_USER
from gongyi.accounts.models import ApiToken, Volunteer
from gongyi.accounts.selectors import volunteer_by_user_id
from gongyi.core import rows
from gongyi.projects.models import Shift
from gongyi.signups.selectors import shift_to_sign_up


def run() -> None:
    shift_id = Shift.objects.order_by("pk").values_list("pk", flat=True).first()
    user_id = Volunteer.objects.order_by("pk").values_list("user_id", flat=True).first()
    token = ApiToken.objects.order_by("pk").values_list("key_hash", flat=True).first()
    if shift_id is None or user_id is None:
        print("skipped: needs a shift and a volunteer (demo data)")
        return

    def by_hand():
        shift_to_sign_up(shift_id)
        volunteer_by_user_id(user_id)
        rows.fetch_one(_TOKEN_AND_USER, [token or ""])

    def by_orm():
        Shift.objects.select_related("project").get(pk=shift_id)
        Volunteer.objects.filter(user_id=user_id).first()
        ApiToken.objects.select_related("user").filter(
            key_hash=token or "", user__is_active=True
        ).first()

    ours = measure(by_hand, repeat=2000)
    baseline = measure(by_orm, repeat=2000)
    report("three signup reads by hand (core.rows)", ours)
    report("baseline: the same three through the ORM", baseline)
    ratio("by hand vs ORM", ours, baseline)
