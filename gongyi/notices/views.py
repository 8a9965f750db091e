"""The inbox pages."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from gongyi.core.views import run_service
from gongyi.notices import selectors, services
from gongyi.notices.models import Notice


@login_required
@require_GET
def inbox(request):
    page = Paginator(selectors.inbox(user=request.user), 20).get_page(request.GET.get("page"))
    # Passed as `unread_notices`, it stands in for the context processor's lazy count: the
    # navigation badge and the heading share one query.
    unread = selectors.unread_count(user=request.user)
    return render(request, "notices/inbox.html", {"page": page, "unread_notices": unread})


@login_required
@require_POST
def read(request, pk: int):
    notice = get_object_or_404(Notice, pk=pk)
    run_service(request, services.mark_read, user=request.user, notice=notice)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notice.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notice.url)
    return redirect("notices:inbox")


@login_required
@require_POST
def read_all(request):
    services.mark_all_read(user=request.user)
    return redirect("notices:inbox")
