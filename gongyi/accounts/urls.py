from django.urls import path

from gongyi.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("send-code/", views.send_code, name="send_code"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("me/", views.me, name="me"),
    path("me/volunteer/", views.register_volunteer, name="register_volunteer"),
    path("me/profile/", views.profile_edit, name="profile_edit"),
    path("me/export/", views.export, name="export"),
    path("me/close/", views.close, name="close"),
]
