"""Pages of snapshots: the city-wide wall, a project's gallery, the upload form, one snapshot,
my uploads, the organiser's approve/hide and the uploader's delete; and the image files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongyi import permissions
from gongyi.accounts.api_auth import public_caller
from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.core.page_cache import public_page_cache
from gongyi.core.views import run_service
from gongyi.projects.selectors import visible_project
from gongyi.sharing.views import poster_response
from gongyi.snapshots import forms, selectors, services, share_kind
from gongyi.snapshots.models import Snapshot

# Approved images never change at their address (a new photo is a new key), so browsers
# and proxies may keep them. Hiding stops the app serving one at once; a copy already in a
# cache stays there until it expires, hence a month rather than a year.
PUBLIC_IMAGE_CACHE = "public, max-age=2592000, immutable"
PRIVATE_IMAGE_CACHE = "private, no-store"


# --- public ---------------------------------------------------------------------------------


@require_GET
@public_page_cache(selectors.WALL_SECONDS, version=selectors.wall_version)
def wall(request):
    city = selectors.city_by_id(request.GET.get("city"))
    page = selectors.wall(page=selectors.page_number(request.GET.get("page")), city=city)
    return render(
        request,
        "snapshots/wall.html",
        {
            "page": page,
            "city": city,
            "cities": selectors.cities(),
            "query": urlencode({"city": city.pk}) if city else "",
        },
    )


@require_GET
def gallery(request, number: str):
    project = visible_project(user=request.user, number=number)
    moderator = permissions.can_moderate_snapshots(request.user, project)
    status = request.GET.get("status")
    status = status if status in Snapshot.Status.values else None
    snapshots = selectors.project_gallery(user=request.user, project=project, status=status)
    context = {
        "project": project,
        "page": selectors.page_of(snapshots, selectors.page_number(request.GET.get("page"))),
        "moderator": moderator,
        "status": status,
        "query": urlencode({"status": status}) if status else "",
        "statuses": Snapshot.Status.choices,
        "can_upload": request.user.is_authenticated
        and permissions.can_upload_snapshot(request.user, project),
        "pending": selectors.pending_count(project) if moderator else 0,
        "hide_form": forms.HideForm(),
    }
    return render(request, "snapshots/gallery.html", context)


@require_GET
def detail(request, key: str):
    snapshot = selectors.visible_snapshot(user=request.user, key=key)
    context = {
        "snapshot": snapshot,
        "moderator": permissions.can_moderate_snapshots(request.user, snapshot.project),
        "can_delete": permissions.can_delete_snapshot(request.user, snapshot),
        "hide_form": forms.HideForm(),
        "share": share_kind.snapshot_target(snapshot),  # the share panel and its meta tags
    }
    return render(request, "snapshots/detail.html", context)


# --- the image files ------------------------------------------------------------------------


@require_GET
def poster(request, key: str):
    """The approved photo's share poster (PNG); 404 unless everybody may see the photo."""
    snapshot = selectors.public_snapshot(key)
    if snapshot is None:
        raise Http404
    url = request.build_absolute_uri(snapshot.get_absolute_url())
    return poster_response(
        request, lambda: share_kind.poster(snapshot, url), filename=f"snapshot-{snapshot.key}"
    )


@require_GET
def image(request, key: str):
    return _serve(request, key, "image_name")


@require_GET
def thumb(request, key: str):
    return _serve(request, key, "thumb_name")


def _serve(request, key: str, field: str):
    """A snapshot's JPEG: to anybody (cached for long) once public, else to its uploader and
    organiser only (session or bearer token; never cached). Everybody else: 404."""
    snapshot = selectors.snapshot_by_key(key)
    if snapshot.is_public:
        etag = f'"{snapshot.key}-{field[0]}"'
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponseNotModified()
        else:
            response = _file(snapshot, field)
        response["ETag"] = etag
        response["Cache-Control"] = PUBLIC_IMAGE_CACHE
        return response
    if not permissions.can_see_snapshot(public_caller(request), snapshot):
        raise Http404
    response = _file(snapshot, field)
    response["Cache-Control"] = PRIVATE_IMAGE_CACHE
    return response


def _file(snapshot: Snapshot, field: str) -> FileResponse:
    try:
        stream = default_storage.open(getattr(snapshot, field), "rb")
    except FileNotFoundError:
        raise Http404 from None
    # Named after the key: FileResponse would otherwise send the storage name along.
    suffix = "" if field == "image_name" else "-thumb"
    return FileResponse(stream, content_type="image/jpeg", filename=f"{snapshot.key}{suffix}.jpg")


# --- uploading ------------------------------------------------------------------------------


def _run_for_form(form, call, **kwargs):
    """A refusal is shown on the form (on its field when it names one), success gives the
    service's value, a refusal None."""
    try:
        return call(**kwargs)
    except NotAllowed:
        raise PermissionDenied from None
    except ServiceError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, number: str):
    project = visible_project(user=request.user, number=number)
    if not permissions.can_upload_snapshot(request.user, project):
        return render(request, "snapshots/refused.html", {"project": project}, status=403)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        made = _run_for_form(
            form,
            services.snapshot_upload,
            actor=request.user,
            project=project,
            photos=form.cleaned_data["photos"],
            captions=form.caption_list(),
        )
        if made is not None:
            messages.success(request, _uploaded_message(made))
            return redirect("snapshots:gallery", project.number)
    context = {
        "project": project,
        "form": form,
        "left": selectors.uploads_left(user=request.user, project=project),
        "moderator": permissions.can_moderate_snapshots(request.user, project),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "snapshots/upload.html", context, status=status)


def _uploaded_message(made: list[Snapshot]) -> str:
    if made[0].is_approved:
        return ngettext("%(n)s photo added.", "%(n)s photos added.", len(made)) % {"n": len(made)}
    return ngettext(
        "%(n)s photo added: it is shown once the organiser approves it.",
        "%(n)s photos added: they are shown once the organiser approves them.",
        len(made),
    ) % {"n": len(made)}


@login_required
@require_GET
def mine(request):
    snapshots = selectors.my_snapshots(user=request.user)
    page = selectors.page_of(snapshots, selectors.page_number(request.GET.get("page")))
    return render(request, "snapshots/mine.html", {"page": page})


# --- moderation and deletion ----------------------------------------------------------------


def _back(request, default: str):
    """To the page the form was on (`next`, if it is ours), else to `default`."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if safe and target.startswith("/") else default)


def _gallery_url(snapshot: Snapshot) -> str:
    return reverse("snapshots:gallery", args=[snapshot.project.number])


@login_required
@require_POST
def approve(request, key: str):
    snapshot = selectors.snapshot_by_key(key)
    if run_service(request, services.snapshot_approve, actor=request.user, snapshot=snapshot):
        messages.success(request, _("The photo is approved and shown to everybody."))
    return _back(request, _gallery_url(snapshot))


@login_required
@require_POST
def hide(request, key: str):
    snapshot = selectors.snapshot_by_key(key)
    form = forms.HideForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("The reason may be at most %(max)s characters.") % {"max": services.REASON_MAX},
        )
    elif run_service(
        request,
        services.snapshot_hide,
        actor=request.user,
        snapshot=snapshot,
        reason=form.cleaned_data["reason"],
    ):
        messages.success(request, _("The photo is hidden from the public."))
    return _back(request, _gallery_url(snapshot))


@login_required
@require_POST
def delete(request, key: str):
    snapshot = selectors.snapshot_by_key(key)
    run_service(request, services.snapshot_delete, actor=request.user, snapshot=snapshot)
    if not Snapshot.objects.filter(pk=snapshot.pk).exists():
        messages.success(request, _("The photo is deleted."))
    target = request.POST.get("next", "")
    if target == snapshot.get_absolute_url():  # that page is gone with the photo
        return redirect("snapshots:mine")
    return _back(request, reverse("snapshots:mine"))
