from django.urls import path

from gongyi.signups import views

app_name = "signups"
urlpatterns = [
    path("shift/<int:shift_id>/", views.create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("console/", views.console, name="console"),
    path("shift/<int:shift_id>/roster/", views.roster, name="roster"),
    path("shift/<int:shift_id>/capacity/", views.capacity, name="capacity"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/move/", views.move, name="move"),
    path("project/<int:project_id>/export/", views.roster_export, name="roster_export"),
    path("project/<int:project_id>/cancel/", views.project_cancel, name="project_cancel"),
    path("project/<int:project_id>/draw/", views.run_draw, name="run_draw"),
    path("draw/<str:number>/", views.draw, name="draw"),
]
