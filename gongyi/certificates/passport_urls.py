"""The passport's pages, mounted at /passport/ (namespace `passport`)."""

from django.urls import path

from gongyi.certificates import views

app_name = "passport"
urlpatterns = [
    path("", views.passport_mine, name="mine"),
    path("pdf/", views.passport_pdf, name="pdf"),
    path("queue/", views.passport_queue, name="queue"),
    path("<int:pk>/issue/", views.passport_issue, name="issue"),
    path("<int:pk>/reject/", views.passport_reject, name="reject"),
    path("verify/", views.passport_verify, name="verify"),
]
