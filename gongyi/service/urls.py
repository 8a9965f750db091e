from django.urls import path

from gongyi.service import views

app_name = "service"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("record/<int:pk>/", views.record, name="record"),
    path("record/<int:pk>/reject/", views.reject, name="reject"),
    path("record/<int:pk>/dispute/", views.dispute, name="open_dispute"),
    path("record/<int:pk>/correct/", views.correct, name="correct"),
    path("declare/<int:signup_id>/", views.declare, name="declare"),
    path("shift/<int:shift_id>/", views.shift, name="shift"),
    path("shift/<int:shift_id>/confirm/", views.confirm, name="confirm"),
    path("declaration/<int:pk>/decide/", views.decide_declaration, name="decide_declaration"),
    path("awaiting/", views.awaiting, name="awaiting"),
    path("disputes/", views.disputes, name="disputes"),
    path("dispute/<int:pk>/", views.dispute_detail, name="dispute"),
    path("dispute/<int:pk>/answer/", views.dispute_answer, name="dispute_answer"),
    path("dispute/<int:pk>/escalate/", views.dispute_escalate, name="dispute_escalate"),
    path("dispute/<int:pk>/resolve/", views.dispute_resolve, name="dispute_resolve"),
    path("dispute/<int:pk>/accept/", views.dispute_accept, name="dispute_accept"),
]
