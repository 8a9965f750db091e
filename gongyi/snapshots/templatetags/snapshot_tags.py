"""`{% project_snapshots project %}`: the strip of a project's newest photos on its page.

Public content only (approved photos of a public project), so the project page stays
cacheable for every visitor.
"""

from django import template

from gongyi.snapshots import selectors

register = template.Library()


@register.inclusion_tag("snapshots/_strip.html")
def project_snapshots(project):
    return {"project": project, "snapshots": selectors.project_strip(project)}
