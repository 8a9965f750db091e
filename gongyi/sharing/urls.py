from django.urls import path

from gongyi.sharing import views

app_name = "sharing"
urlpatterns = [
    path("share/<str:kind>/<str:key>/", views.share, name="share"),
    path("poster/project/<str:number>.png", views.project_poster, name="project_poster"),
    path("project/<str:number>/figures/", views.project_figures, name="project_figures"),
    # The short link: /s/K7P2M9Q (a trailing slash, as some chat apps add, works too).
    path("<str:code>", views.visit, name="visit"),
    path("<str:code>/", views.visit, name="visit_slash"),
]
