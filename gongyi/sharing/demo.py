"""Demo short links with plausible counts, for `make run`.

Called by the demo builder once projects exist: `build_demo_shares()`. Links are made through
the service (so codes and constraints are the real ones); the counts are written directly,
as if people had shared and visited for a while. Safe to run twice (links are per project).
"""

import random

from django.db import transaction

from gongyi.projects.models import Project
from gongyi.sharing import project_kind, services
from gongyi.sharing.models import ShareLink


@transaction.atomic
def build_demo_shares(*, projects: int = 30, seed: int = 2026) -> int:
    """Give up to `projects` published projects a short link with some shares and visits
    (about 2 to 8 visits a share). Returns how many links were made or updated."""
    rng = random.Random(seed)
    chosen = Project.objects.filter(status=Project.Status.PUBLISHED).select_related("organisation")
    done = 0
    for project in chosen.order_by("-published_at", "-id")[:projects]:
        link = services.link_for(project_kind.project_target(project))
        shares = rng.randint(0, 60)
        visits = sum(rng.randint(2, 8) for _ in range(shares))
        ShareLink.objects.filter(pk=link.pk).update(shares=shares, visits=visits)
        done += 1
    return done
