"""`{% economic_value project %}` / `{% economic_value org %}`: a one-line figure with a link
to the full value page, for the project and organisation pages.

Public figures only (from the hour tallies and the public wage tables), so the project page
stays cacheable for every visitor.
"""

from django import template
from django.urls import reverse

from gongyi.orgs.models import Organisation
from gongyi.projects.models import Project
from gongyi.value import selectors

register = template.Library()


@register.inclusion_tag("value/_line.html")
def economic_value(subject):
    if isinstance(subject, Project):
        valuation = selectors.project_value(subject)
        url = reverse("value:project", args=[subject.number])
    elif isinstance(subject, Organisation):
        valuation = selectors.org_value(subject).total
        url = reverse("value:org", args=[subject.pk])
    else:
        return {"valuation": None}
    return {"valuation": valuation, "url": url}
