"""Demo snapshots: a few drawn pictures (Pillow, nothing downloaded) for some demo projects.

They go through the upload service as the project's organiser, so they are processed,
stored, audited and approved exactly as real uploads are. Safe to run twice: projects that
already have snapshots are left alone.
"""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from gongyi.accounts.models import User
from gongyi.orgs.models import Membership
from gongyi.projects.models import Project
from gongyi.snapshots.models import PUBLIC_PROJECT_STATUSES, Snapshot
from gongyi.snapshots.services import snapshot_upload

CAPTIONS = [
    "志愿者们在服务点集合，准备出发",
    "耐心教老人使用智能手机",
    "社区清洁行动，大家干劲十足",
    "活动结束后的合影",
    "为居民测量血压、讲解健康知识",
    "图书馆里整理书架",
    "路口文明交通引导",
    "",
]
SKIES = ["#8ec5ff", "#ffd59e", "#c9e4ff", "#ffe1e8", "#d7f5d0"]
GROUNDS = ["#6cbf6c", "#c8a27a", "#9aa5b1", "#7fb3a1"]
VESTS = ["#d7261e", "#f28c28", "#2f80ed", "#27ae60"]


def draw_scene(rng: random.Random, size: tuple[int, int] = (1200, 900)) -> bytes:
    """A simple picture: sky, ground, a sun and a row of volunteers in coloured vests."""
    width, height = size
    image = Image.new("RGB", size, rng.choice(SKIES))
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.55, 0.7))
    draw.rectangle((0, horizon, width, height), fill=rng.choice(GROUNDS))
    sun = rng.randint(60, width - 160)
    draw.ellipse((sun, 50, sun + 110, 160), fill="#ffd84a")
    people = rng.randint(3, 7)
    for i in range(people):
        x = int((i + 0.5) * width / people) + rng.randint(-20, 20)
        scale = rng.uniform(0.8, 1.2)
        head, body = int(38 * scale), int(150 * scale)
        top = horizon - body // 2
        draw.ellipse((x - head, top - 2 * head, x + head, top), fill="#f1c27d")
        draw.rounded_rectangle(
            (x - head, top, x + head, top + body), radius=12, fill=rng.choice(VESTS)
        )
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def _organisers(project_ids: list[int]) -> dict[int, User]:
    """One active admin per organisation of these projects: who uploads the demo photos."""
    rows = Membership.objects.filter(
        organisation__projects__pk__in=project_ids, status="active", role="admin"
    ).order_by("organisation_id", "pk")
    found: dict[int, User] = {}
    for membership in rows.select_related("user"):
        found.setdefault(membership.organisation_id, membership.user)
    return found


def build_demo_snapshots(
    *, projects: int = 8, per_project: int = 4, rng: random.Random | None = None
) -> int:
    """Approved photos for up to `projects` public demo projects; returns how many were made."""
    rng = rng or random.Random(2026)
    with_photos = Snapshot.objects.values("project_id")
    candidates = list(
        Project.objects.filter(status__in=PUBLIC_PROJECT_STATUSES)
        .exclude(pk__in=with_photos)
        .select_related("organisation", "district")
        .order_by("pk")[: projects * 4]
    )
    organisers = _organisers([p.pk for p in candidates])
    made = 0
    for project in [p for p in candidates if p.organisation_id in organisers][:projects]:
        count = rng.randint(2, per_project)
        photos = [
            SimpleUploadedFile(f"demo-{i}.jpg", draw_scene(rng), content_type="image/jpeg")
            for i in range(count)
        ]
        captions = [rng.choice(CAPTIONS) for _ in photos]
        actor = organisers[project.organisation_id]
        made += len(snapshot_upload(actor=actor, project=project, photos=photos, captions=captions))
    return made
