from django.urls import path

from gongyi.attendance import views

app_name = "attendance"
urlpatterns = [
    path("", views.index, name="index"),
    path("scan/", views.scan, name="scan"),
    path("signup/<int:pk>/", views.mine, name="mine"),
    path("shift/<int:shift_id>/", views.shift, name="shift"),
    path("shift/<int:shift_id>/qr/", views.qr, name="qr"),
    path("shift/<int:shift_id>/qr/code/", views.qr_code, name="qr_code"),
    path(
        "signup/<int:pk>/check-in/",
        views.leader_action,
        {"action": "check_in"},
        name="leader_check_in",
    ),
    path(
        "signup/<int:pk>/check-out/",
        views.leader_action,
        {"action": "check_out"},
        name="leader_check_out",
    ),
    path("signup/<int:pk>/no-show/", views.leader_action, {"action": "no_show"}, name="no_show"),
    path("project/<int:project_id>/policy/", views.policy, name="policy"),
]
