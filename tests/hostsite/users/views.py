"""The host site's own pages."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

PROFILE_VIEWS_KEY = "users.profile_views"


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


class ClubLoginView(auth_views.LoginView):
    template_name = "users/login.html"


class ClubLogoutView(auth_views.LogoutView):
    pass


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    request.session[PROFILE_VIEWS_KEY] = int(request.session.get(PROFILE_VIEWS_KEY, 0)) + 1
    return render(request, "users/profile.html", {"views": request.session[PROFILE_VIEWS_KEY]})
