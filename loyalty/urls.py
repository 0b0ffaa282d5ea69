"""URLs of the loyalty portal; namespace ``tbits_loyalty``."""

from __future__ import annotations

from django.urls import path

from loyalty import leaderboard_views, offline, public_board, views, wallet_pass_views

app_name = "tbits_loyalty"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("quests/", views.quest_board, name="quests"),
    path("quests/<int:quest_id>/complete/", views.complete, name="complete"),
    path("quests/<int:quest_id>/visit/", views.visit, name="visit"),
    path("quests/<int:quest_id>/wristband/", views.wristband, name="wristband"),
    path("scan/<str:token>/", views.scan, name="scan"),
    path("rewards/", views.wallet, name="wallet"),
    path(
        "rewards/pass/<slug:pass_id>/apple-wallet/",
        wallet_pass_views.apple_wallet_pass,
        name="apple_wallet_pass",
    ),
    path(
        "rewards/pass/<slug:pass_id>/google-wallet/",
        wallet_pass_views.google_wallet_pass,
        name="google_wallet_pass",
    ),
    path("leaderboard/", leaderboard_views.leaderboard, name="leaderboard"),
    path("leaderboard/name/", leaderboard_views.leaderboard_name, name="leaderboard_name"),
    path("history/", views.history, name="history"),
    path("team/", views.pick_business, name="business"),
    path("programme/", public_board.programme, name="programme"),
    # Under the portal, allowed a wider scope by its Service-Worker-Allowed header.
    path("service-worker.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
]
