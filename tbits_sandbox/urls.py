"""URLs of the sandbox; ``/sandbox/`` stands for the provider's root.

Paths are exactly those of ENDPOINTS.md (the inferred ones as the client has them).
Identifiers are captured as strings so that a malformed one gets the API's JSON 401/404
rather than Django's HTML 404.
"""

from django.urls import path

from tbits_sandbox.views import crm, loyalty, oauth, pages, sessions, trackers

app_name = "tbits_sandbox"

ENT = "api/v1/ent/businesses/<str:business_id>"

urlpatterns = [
    path("", pages.home, name="home"),
    path("outbox/", pages.outbox, name="outbox"),
    path("outbox.json", pages.outbox_json, name="outbox_json"),
    path("fb_media/<str:media_uid>", pages.fb_media, name="fb_media"),
    # Trackers generated for link_url quests: the redirect fans follow, the developers' list.
    path("t/<str:tracker_key>", trackers.follow, name="tracker_follow"),
    path("trackers/", trackers.tracker_list, name="trackers"),
    # Fan login and sessions (website-integration.txt)
    path("api/v1/status", sessions.status, name="status"),
    path("crm/oauth", oauth.oauth, name="oauth"),
    path("crm/access_token", oauth.access_token, name="access_token"),
    path("api/v1/sessions/connect", sessions.sessions_connect, name="sessions_connect"),
    path("api/v1/sessions/<str:session_uid>", sessions.session_detail, name="session"),
    path("api/v1/sessions/<str:session_uid>/fan", sessions.session_fan_view, name="session_fan"),
    path(
        "api/v1/sessions/<str:session_uid>/points",
        sessions.session_points,
        name="session_points",
    ),
    path("api/v1/sessions/<str:session_uid>/idols", sessions.session_idols, name="session_idols"),
    path("api/v1/idols", sessions.idols, name="idols"),
    path("api/v1/idols/events", sessions.idol_events, name="idol_events"),
    path("api/v1/idols/<str:idol_uid>", sessions.idol, name="idol"),
    # Loyalty (loyalty-portal-integration.txt)
    path("api/v1/businesses", loyalty.businesses, name="businesses"),
    path("api/v1/crm/points", loyalty.points, name="points"),
    path("api/v1/crm/point_tiers/<str:point_uid>", loyalty.point_tiers, name="point_tiers"),
    path("api/v1/crm/fans/<str:fan_id>/point_tier", loyalty.fan_point_tier, name="fan_point_tier"),
    path(f"{ENT}/quests", loyalty.quests, name="quests"),
    path(f"{ENT}/quests/fans/<str:fan_id>/complete", loyalty.completions, name="completions"),
    path(f"{ENT}/quests/<str:page_tab_id>", loyalty.quest_detail, name="quest"),
    path(
        f"{ENT}/quests/<str:page_tab_id>/fans/<str:fan_id>/complete",
        loyalty.complete,
        name="complete",
    ),
    path(f"{ENT}/rewards", loyalty.rewards, name="rewards"),
    path(f"{ENT}/rewards/<str:reward_uid>", loyalty.reward_detail, name="reward"),
    path(f"{ENT}/fans/<str:fan_id>/rewards", loyalty.fan_rewards, name="fan_rewards"),
    path("api/v1/ent/reward_updates", loyalty.reward_updates, name="reward_updates"),
    # CRM calls (api-reference.txt)
    path("api/v1/crm/fans/<str:fan_id>", crm.fan_detail, name="crm_fan"),
    path("api/v1/crm/fans/<str:fan_id>/points", crm.fan_points, name="crm_fan_points"),
    path("api/v1/crm/fan_points", crm.fan_points_ledger, name="fan_points"),
    path("api/v1/crm/leaderboard", crm.leaderboard, name="leaderboard"),
    path("api/v1/crm/display_name", crm.display_name, name="display_name"),
    path("api/v1/crm/fans/<str:fan_id>/activities", crm.fan_activities, name="fan_activities"),
    path(
        "api/v1/crm/fans/<str:fan_id>/registrations",
        crm.fan_registrations,
        name="fan_registrations",
    ),
    path("api/v1/performances", crm.performances, name="performances"),
]
