"""URLs of fan login and the profile; namespace ``tbits_accounts``."""

from __future__ import annotations

from django.urls import path

from accounts.views import login, profile, session

app_name = "tbits_accounts"

urlpatterns = [
    path("login/", login.LoginView.as_view(), name="login"),
    path("login/code/", login.CodeView.as_view(), name="code"),
    path("login/password/", login.PasswordView.as_view(), name="password"),
    path("register/", login.RegisterView.as_view(), name="register"),
    path("oauth/start/", session.oauth_start, name="oauth_start"),
    # The one-time transaction value rides in the path: the provider documents no `state`
    # and returns to exactly the redirect_url it was given.
    path("oauth/callback/<str:transaction>/", session.oauth_callback, name="oauth_callback"),
    path("logout/", session.logout, name="logout"),
    path("profile/", profile.profile, name="profile"),
    path("profile/password/", profile.change_password, name="profile_password"),
    path("profile/log-in-again/", profile.log_in_again, name="profile_log_in_again"),
    path("profile/idols/", profile.idol, name="profile_idol"),
]
