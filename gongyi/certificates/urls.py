from django.urls import path

from gongyi.certificates import views

app_name = "certificates"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.request_certificate, name="request"),
    path("verify/", views.verify, name="verify"),
    path("<str:number>/pdf/", views.certificate_pdf, name="pdf"),
]
