from django.urls import path

from gongyi.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("mine/", views.my_projects, name="mine"),
    path("new/<int:org_id>/", views.project_create, name="create"),
    path("teams/search/", views.team_search, name="team_search"),
    path("teams/pick/", views.team_pick, name="team_pick"),
    path("points/<int:pk>/edit/", views.point_edit, name="point_edit"),
    path("points/<int:pk>/delete/", views.point_delete, name="point_delete"),
    path("shifts/<int:pk>/edit/", views.shift_edit, name="shift_edit"),
    path("shifts/<int:pk>/delete/", views.shift_delete, name="shift_delete"),
    path("<str:number>/", views.project_detail, name="detail"),
    path("<str:number>/edit/", views.project_edit, name="edit"),
    path("<str:number>/publish/", views.project_publish, name="publish"),
    path("<str:number>/close/", views.project_close, name="close"),
    path("<str:number>/cancel/", views.project_cancel, name="cancel"),
    path("<str:number>/points/", views.project_points, name="points"),
    path("<str:number>/shifts/", views.project_shifts, name="shifts"),
]
