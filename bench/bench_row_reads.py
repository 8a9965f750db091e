"""The signup path's reads: by hand (core.rows) vs the same reads through the ORM.

Both load whole model instances (the shift with its project; the token with its user and
the user's volunteer profile) from the same database in the same process; only the SQL
building differs.
"""

from bench.timing import measure, ratio, report
from gongyi.accounts.api_auth import _READ, token_hash
from gongyi.accounts.models import ApiToken, User, Volunteer
from gongyi.accounts.services import create_api_token
from gongyi.core import rows
from gongyi.projects.models import Shift
from gongyi.signups.selectors import shift_to_sign_up


def run() -> None:
    shift_id = Shift.objects.order_by("pk").values_list("pk", flat=True).first()
    volunteer = Volunteer.objects.order_by("pk").first()
    if shift_id is None or volunteer is None:
        print("skipped: needs a shift and a volunteer (demo data)")
        return
    ApiToken.objects.filter(name="bench-reads").delete()
    token = token_hash(create_api_token(user=volunteer.user, name="bench-reads")[1])

    def by_hand():
        shift_to_sign_up(shift_id)
        rows.instances(rows.fetch_one(_READ, [token]), ApiToken, User, Volunteer)

    def by_orm():
        Shift.objects.select_related("project").get(pk=shift_id)
        ApiToken.objects.select_related("user__volunteer").filter(
            key_hash=token, user__is_active=True
        ).first()

    ours = measure(by_hand, repeat=2000)
    baseline = measure(by_orm, repeat=2000)
    report("two signup reads by hand (core.rows)", ours)
    report("baseline: the same two through the ORM", baseline)
    ratio("by hand vs ORM", ours, baseline)
