"""Demo attendance: check-ins and check-outs for the confirmed signups of past shifts.

Rows are bulk-created (the services take one signup's lock at a time and need a live QR
token); the values follow the same rules: check-in from an hour before the start, check-out
after check-in and within six hours of the end, phones inside the service point's radius,
leader entries with their leader and a reason, no-shows with a reason and no times.
Safe to run twice: signups that already have an attendance are left alone.
"""

import math
import random
from datetime import datetime, timedelta

from django.db import transaction

from gongyi.attendance.models import Attendance, AttendancePolicy
from gongyi.attendance.services import DEFAULT_RADIUS_M, haversine_m
from gongyi.orgs.models import Membership
from gongyi.projects.models import Project
from gongyi.signups.models import Signup

BATCH = 2000
LEADER_IN_REASONS = ["手机没电，现场核实后代签", "未带手机，负责人代为签到", "扫码失败，现场登记"]
LEADER_OUT_REASONS = ["忘记签退，按实际离开时间补录", "提前离开，负责人登记", "手机没电，代为签退"]
NO_SHOW_REASONS = ["未到岗，电话联系未接", "临时有事未到，未提前取消", "未到岗"]
METRES_PER_DEGREE = 111_195


def _near(rng: random.Random, lat: float, lon: float, within: int) -> tuple[float, float]:
    """A phone's position a few to `within` metres from the point, in a random direction."""
    distance, angle = rng.uniform(3, within * 0.9), rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(angle) / METRES_PER_DEGREE
    dlon = distance * math.sin(angle) / (METRES_PER_DEGREE * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lon + dlon, 6)


def _leaders_by_org() -> dict[int, int]:
    """One active leader (or admin) per organisation: who made the leader entries."""
    found: dict[int, int] = {}
    rows = Membership.objects.filter(status="active", role__in=("leader", "admin")).order_by(
        "-role", "id"
    )  # leaders before admins
    for org_id, user_id in rows.values_list("organisation_id", "user_id"):
        found.setdefault(org_id, user_id)
    return found


def _geofence_some_projects(rng: random.Random, project_ids: set[int]) -> None:
    """About one project in five checks people in on site (all its points are on the map)."""
    have = set(AttendancePolicy.objects.values_list("project_id", flat=True))
    mapped = (
        Project.objects.filter(pk__in=project_ids - have)
        .exclude(points__latitude__isnull=True)
        .values_list("pk", flat=True)
    )
    AttendancePolicy.objects.bulk_create(
        AttendancePolicy(project_id=pk, geofence_required=True, radius_m=DEFAULT_RADIUS_M)
        for pk in sorted(mapped)
        if rng.random() < 0.2
    )


def build_demo_attendance(now: datetime, *, seed: int = 2026) -> int:
    """Check in and out the confirmed signups of shifts that ended before `now`.

    About 85 % scanned in and out, 5 % entered by the leader, 10 % no-shows. Returns how many
    attendances were made.
    """
    rng = random.Random(seed)
    signups = (
        Signup.objects.filter(
            status=Signup.Status.CONFIRMED, shift__ends_at__lte=now, attendance__isnull=True
        )
        .select_related("shift__point", "shift__project")
        .order_by("id")
    )
    leaders = _leaders_by_org()
    made = 0
    rows: list[Attendance] = []
    project_ids: set[int] = set()
    with transaction.atomic():
        for signup in signups.iterator(chunk_size=BATCH):
            project_ids.add(signup.shift.project_id)
            rows.append(_attendance(rng, signup, leaders.get(signup.shift.project.organisation_id)))
            if len(rows) >= BATCH:
                made += len(Attendance.objects.bulk_create(rows))
                rows = []
        made += len(Attendance.objects.bulk_create(rows))
        _geofence_some_projects(rng, project_ids)
    return made


def _attendance(rng: random.Random, signup: Signup, leader_id: int | None) -> Attendance:
    shift, roll = signup.shift, rng.random()
    if roll < 0.10:
        return Attendance(signup=signup, no_show=True, reason=rng.choice(NO_SHOW_REASONS))
    checked_in = shift.starts_at + timedelta(
        minutes=rng.randint(-20, 10), seconds=rng.randint(0, 59)
    )
    checked_out = shift.ends_at + timedelta(
        minutes=rng.randint(-15, 20), seconds=rng.randint(0, 59)
    )
    checked_out = max(checked_out, checked_in + timedelta(minutes=10))
    row = Attendance(signup=signup, checked_in_at=checked_in, checked_out_at=checked_out)
    if roll < 0.15 and leader_id is not None:
        row.in_method = row.out_method = Attendance.Method.LEADER
        row.in_by_id = row.out_by_id = leader_id
        row.reason = rng.choice(LEADER_IN_REASONS + LEADER_OUT_REASONS)
        return row
    row.in_method = row.out_method = Attendance.Method.QR
    point = shift.point
    if point.latitude is not None and point.longitude is not None:
        within = min(point.geofence_metres or DEFAULT_RADIUS_M, DEFAULT_RADIUS_M)
        for side in ("in", "out"):
            lat, lon = _near(rng, point.latitude, point.longitude, within)
            setattr(row, f"{side}_latitude", lat)
            setattr(row, f"{side}_longitude", lon)
            setattr(
                row, f"{side}_distance_m", haversine_m(lat, lon, point.latitude, point.longitude)
            )
    return row
