from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from gongyi.api import api
from gongyi.core import views as core_views

admin.site.site_header = _("Gongyi platform administration")
admin.site.site_title = _("Gongyi administration")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("gongyi.accounts.urls")),
    path("regions/", include("gongyi.regions.urls")),
    path("orgs/", include("gongyi.orgs.urls")),
    path("projects/", include("gongyi.projects.urls")),
    path("signups/", include("gongyi.signups.urls")),
    path("attendance/", include("gongyi.attendance.urls")),
    path("hours/", include("gongyi.service.urls")),
    path("inbox/", include("gongyi.notices.urls")),
    path("certificates/", include("gongyi.certificates.urls")),
    path("passport/", include("gongyi.certificates.passport_urls")),
    path("growth/", include("gongyi.growth.urls")),
    path("calendar/", include("gongyi.calendars.urls")),
    path("snapshots/", include("gongyi.snapshots.urls")),
    path("s/", include("gongyi.sharing.urls")),
    path("rankings/", include("gongyi.rankings.urls")),
    path("value/", include("gongyi.value.urls")),
    path("dashboard/", include("gongyi.dashboard.urls")),
    path("sites/", include("gongyi.sites.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "gongyi.core.views.not_found"
handler500 = "gongyi.core.views.server_error"
