"""THE table of the documented-only mode: each call's documented answer, with its sources.

The rules that choose the fields are in the package docstring (``tbits_sandbox.documented``).
"""

from __future__ import annotations

from collections.abc import Mapping

from tbits_sandbox.documented.shapes import (
    LEAF,
    Documented,
    ListOf,
    MapOf,
    api,
    loyalty,
    obj,
    union,
    website,
)

# --- Shapes the docs print once and several calls answer --------------------------------

SESSION = obj("session_uid fan_id account_id props expiration_timestamp")
SESSION_CITE = api("Sessions Calls", "Get existing Session using ID")

FAN_BALANCE = obj("fan_id point_uid point_name point_count")

IDOL = obj(
    "spotify_follower_count spotify_uid description account_id idol_uid idol_name "
    "media_uid image_url link_url idol_type idol_labels"
)
FAN_IDOL = obj(
    "account_id idol_uid idol_name idol_type description is_explicit creation_timestamp "
    "last_update_timestamp idol_labels"
)
IDOL_EVENT = obj(
    "event_uid account_id idol_uid start_timestamp end_timestamp venue_name city province "
    "country_code event_url ticket_url label_name idol_name media_uid image_url"
)

STATUS = obj("legal_terms legal_privacy header_text image_url")
STATUS_CITES = (
    website("Account Configuration", 'legal_terms = result.get("legal_terms")'),
    website("Account Configuration", 'legal_privacy = result.get("legal_privacy")'),
    website("Account Configuration", 'header_text = result.get("header_text")'),
    website("Account Configuration", 'image_url = result.get("image_url")'),
)

# "Get quests for a performance" (Resulting Structure) and, beyond it, the guide's quest
# creation table: point_tier_uid, tag_name, media_uid, idol_uid.
QUEST = union(
    obj(
        "page_tab_id performance_uid quest_type target_page_tab_id scan_group_names "
        "is_required access_restriction_type fan_points_required quest_title button_text "
        "quest_description reward_type fan_points_reward atvenu_sales_event_key "
        "atvenu_promo_key creation_timestamp bestring_location_group_id bestring_promotion_id "
        "required_page_tab_ids link_url start_date end_date point_uid site_name"
    ),
    obj("point_tier_uid tag_name media_uid idol_uid"),
)
QUEST_CITES = (
    api("Apps Calls", "Get quests for a performance"),
    loyalty("Step 4: Create Quests", "Quest creation parameters:"),
)

# "Get rewards for a performance" plus the guide's reward creation table and its
# type-specific fields, without the prize-code pool ``prize_codes``.
REWARD = union(
    obj(
        "reward_uid performance_uid reward_title reward_type atvenu_sales_event_key "
        "atvenu_promo_key fan_points_required creation_timestamp bestring_location_group_id "
        "bestring_promotion_id point_uid"
    ),
    obj(
        "expiration_timestamp timezone winner_selection_model reward_limit requirement_type "
        "point_tier_uid required_page_tab_ids description"
    ),
    obj(
        "access_start_timestamp access_end_timestamp access_pass_type is_limited "
        "atvenu_delivery_method"
    ),
)
REWARD_CITES = (
    api("Apps Calls", "Get rewards for a performance"),
    loyalty("Step 5: Create Rewards", "Reward creation parameters:"),
    loyalty("Step 5: Create Rewards", "Reward-type-specific fields:"),
)

TIER = obj("point_tier_uid tier_name min_points")

FAN_RECORD_FIELDS = (
    "fan_id account_id name first_name last_name province latitude longitude "
    "creation_timestamp ip_address country_code city is_subscribed rating phone "
    "birth_date metro_area postal_code fields gender tags"
)

REGISTRATION = obj(
    "account_id registration_key order_key event_name event_date event_key fan_id "
    "registration_timestamp email venue_name barcode lookup_id ticket_key network "
    "first_name last_name phone address city country_code province postal_code is_minor "
    "birth_date is_preferred creation_timestamp activity_id is_subscribed "
    "is_phone_subscribed"
)

PERFORMANCE = obj(
    "performance_uid account_id performance_name performance_date fb_ad_account_id "
    "metro_area creation_timestamp onsale_date venue_name display_venue_name promoter "
    "artist_name additional_artist_names campaign_event_key province country_code city "
    "performance_url status announce_date buying_group notes performance_group_name "
    "venue_uid business_id fb_event_id label_name is_valid_idol outlet vendor "
    "referral_page_tab_id"
)

LEDGER_ROW = obj(
    "fan_point_uid fan_id point_uid creation_timestamp point_count page_tab_id ip_address "
    "point_source session_uid award_signature activity_id point_type props "
    "performance_uid reward_uid point_name display_name"
)

# --- The table ----------------------------------------------------------------------------

TABLE: Mapping[tuple[str, str], Documented] = {
    # Fan login and sessions (website-integration.txt, api-reference.txt "Sessions Calls")
    ("status", "GET"): Documented(STATUS, STATUS_CITES, "The guide POSTs; GET answers alike."),
    ("status", "POST"): Documented(STATUS, STATUS_CITES),
    ("access_token", "GET"): Documented(
        SESSION,
        (website("Option 1: OAuth Login", 'session_uid = session["session_uid"]'), SESSION_CITE),
        "The guide reads session_uid and fan_id; read as the session object it names.",
    ),
    ("access_token", "POST"): Documented(
        SESSION,
        (website("Option 1: OAuth Login", 'session_uid = session["session_uid"]'), SESSION_CITE),
        "The guide GETs; POST answers alike.",
    ),
    ("sessions_connect", "POST"): Documented(
        union(
            SESSION,
            obj("status password phone request_uid message verification_uid terms_required"),
        ),
        (
            api(
                "Sessions Calls",
                "On success, there will be a new session object as described below.",
            ),
            api("Sessions Calls", "Required if terms_required is returned"),
            website("Option 2: Sessions/Connect API", 'if result["status"] == "register":'),
            website("Option 2: Sessions/Connect API", 'has_password = result.get("password"'),
            website("Option 2: Sessions/Connect API", 'has_phone = result.get("phone", False)'),
            website("Option 2: Sessions/Connect API", 'request_uid = result["request_uid"]'),
            website("Option 2: Sessions/Connect API", 'print(result["message"])'),
            website("Option 2: Sessions/Connect API", "verification-uid-from-step-3"),
        ),
        "One entry for every step: the session object, or a mid-step structure of the fields "
        "the guide reads. verification_uid is kept because Step 4 sends back the one of "
        "Step 3 (dropping it would lose the verification). The terms_required answer's "
        "legal texts are not documented there (the status call documents them).",
    ),
    ("session", "GET"): Documented(SESSION, (SESSION_CITE,)),
    ("session_fan", "GET"): Documented(
        obj(FAN_RECORD_FIELDS + " image_url"),
        (api("Sessions Calls", "Fetch current Fan Record"),),
        "No email, display_name, is_phone_subscribed, props or has_password.",
    ),
    ("session_fan", "POST"): Documented(
        obj("fan_id"), (api("Sessions Calls", "Update Current Fan Record"),), "Updated Record."
    ),
    ("session_points", "GET"): Documented(
        ListOf(FAN_BALANCE),
        (api("Sessions Calls", "Get Fan points"),),
        "Inferred path. The docs print one structure; one per point type is answered, the "
        "reading that loses no balance.",
    ),
    ("session_idols", "GET"): Documented(
        ListOf(union(FAN_IDOL, IDOL)),
        (
            website("Idols and Lineup", "Get Fan's Liked Idols"),
            api("Crm Calls", "Fetch list of idols for a given Fan"),
            api("Idols Calls", "Search for an idols in the database"),
        ),
        "The guide prints no answer; the fan's idols are idols, so each carries the fields of "
        "the fan's idol list and of the idol structure (the reading that loses no field).",
    ),
    ("session_idols", "POST"): Documented(
        obj("fan_id idol_uid"),
        (
            website("Idols and Lineup", "Add Idol to Liked"),
            api("Crm Calls", "Add or remove idol association"),
        ),
    ),
    ("idols", "GET"): Documented(
        ListOf(IDOL), (api("Idols Calls", "Search for an idols in the database"),)
    ),
    ("idol", "GET"): Documented(IDOL, (api("Idols Calls", "Obtain an idol for a given idol_uid"),)),
    ("idol_events", "GET"): Documented(
        ListOf(IDOL_EVENT),
        (api("Idols Calls", "Based on the search parameters return a list of Idol Events."),),
    ),
    # Loyalty (loyalty-portal-integration.txt, api-reference.txt "Apps Calls")
    ("businesses", "GET"): Documented(
        ListOf(
            obj(
                "legal_rules legal_terms legal_privacy business_id business_name media_map "
                "scheduler_props locale_props style_props"
            )
        ),
        (
            api("Apps Calls", "Get a list of businesses on the account"),
            loyalty("Runtime API Flow", 'print(biz["business_id"], biz["business_name"])'),
        ),
        "No point_uid or point_name: the business's point type is set in the admin UI only.",
    ),
    ("points", "GET"): Documented(
        ListOf(obj("point_uid point_name")),
        (
            loyalty("Step 1: Create a Point Type", 'print("point_uid:", result["point_uid"])'),
            loyalty("Step 1: Create a Point Type", '"point_name": "Fan Points"}'),
        ),
        "The list's shape is not printed: a point type is what creating one takes and answers "
        "(point_name, point_uid); the fan tier and leaderboard calls name it by point_name.",
    ),
    ("points", "POST"): Documented(
        obj("point_uid"),
        (loyalty("Step 1: Create a Point Type", 'print("point_uid:", result["point_uid"])'),),
    ),
    ("point_tiers", "GET"): Documented(
        ListOf(TIER),
        (
            loyalty("Runtime API Flow", 'print(tier["tier_name"], tier["min_points"])'),
            loyalty(
                "Step 3: Create Point Tiers", 'print("point_tier_uid:", result["point_tier_uid"])'
            ),
        ),
        "The example reads tier_name and min_points; point_tier_uid is kept because quests "
        "and rewards name a tier by it (dropping it would lose which tier is which).",
    ),
    ("point_tiers", "POST"): Documented(
        obj("point_tier_uid"),
        (
            loyalty(
                "Step 3: Create Point Tiers", 'print("point_tier_uid:", result["point_tier_uid"])'
            ),
        ),
    ),
    ("fan_point_tier", "GET"): Documented(
        obj("point_tier_uid tier_name min_points", empty_unless="point_tier_uid"),
        (loyalty("Runtime API Flow", "3. Get the fan's current tier"),),
        "Answer shape not documented: read as the fan's current tier, a tier object, or {} "
        "when the fan has reached no tier. No point_count, no next tier.",
    ),
    ("quests", "GET"): Documented(ListOf(QUEST), QUEST_CITES, "No business_id, no image_url."),
    ("quests", "POST"): Documented(
        obj("page_tab_id"),
        (
            loyalty("Step 4: Create Quests", 'print("page_tab_id:", result["page_tab_id"])'),
            api("Apps Calls", "Create quest for a performance"),
        ),
    ),
    ("quest", "DELETE"): Documented(
        obj(),
        (api("Apps Calls", "Delete quest for a performance"),),
        'The docs answer "HTTP 200" and print no body: {}.',
    ),
    ("rewards", "GET"): Documented(
        ListOf(REWARD),
        REWARD_CITES,
        "No prize_codes (the pool), no delivered_count, no count of codes remaining, no "
        "media_uid or image_url (in neither table).",
    ),
    ("rewards", "POST"): Documented(
        obj("reward_uid"),
        (
            loyalty("Step 5: Create Rewards", 'print("reward_uid:", result["reward_uid"])'),
            api("Apps Calls", "Create rewards for a performance"),
        ),
    ),
    ("reward", "DELETE"): Documented(
        obj(),
        (api("Apps Calls", "Delete reward for a performance"),),
        'The docs answer "HTTP 200" and print no body: {}.',
    ),
    ("fan_rewards", "GET"): Documented(
        ListOf(REWARD),
        (loyalty("Runtime API Flow", "7. Get the fan's rewards"), *REWARD_CITES),
        "Answer shape not documented: read as the rewards the fan holds, each with the fields "
        "of the rewards list. No pass_code, prize_code, status, delivery_source, "
        "delivered_timestamp or fan_id.",
    ),
    ("fan_rewards", "POST"): Documented(
        obj("reward_uid"),
        (loyalty("Runtime API Flow", "8. Manually assign a reward"),),
        "Answer shape not documented: the reward_uid assigned.",
    ),
    ("reward_updates", "GET"): Documented(
        ListOf(obj("reward_uid fan_id")),
        (loyalty("Runtime API Flow", "9. Poll for recent reward updates"),),
        "Answer shape not documented: which reward went to which fan.",
    ),
    ("completions", "GET"): Documented(
        MapOf(LEAF),
        (loyalty("Runtime API Flow", "completions = res.json()  # { page_tab_id: true/false }"),),
    ),
    ("complete", "POST"): Documented(
        obj("activity_id"),
        (loyalty("Runtime API Flow", 'print("activity_id:", result["activity_id"])'),),
    ),
    # CRM calls (api-reference.txt "Crm Calls", "Misc Calls")
    ("crm_fan", "GET"): Documented(
        obj(FAN_RECORD_FIELDS + " is_phone_subscribed"),
        (api("Crm Calls", "Get Specific fan record via ID"),),
        "Inferred path. No email, display_name, props or has_password.",
    ),
    ("crm_fan_points", "GET"): Documented(
        ListOf(FAN_BALANCE),
        (api("Crm Calls", "Get Fan points"),),
        "Inferred path. One structure printed; one per point type answered (loses nothing).",
    ),
    ("fan_points", "GET"): Documented(
        ListOf(LEDGER_ROW), (api("Crm Calls", "Get a list of currently awarded fan points"),)
    ),
    ("fan_points", "POST"): Documented(
        obj("fan_point_uid"),
        (api("Crm Calls", "Award fan points"),),
        "The call prints only fan_point_uid after its parameters; no is_duplicate.",
    ),
    ("leaderboard", "GET"): Documented(
        obj(
            meta=obj(),
            data=ListOf(obj("point_name fan_id fan_point_count rank display_name")),
        ),
        (
            api("Crm Calls", "Get a fan leaderboard based on provided filters"),
            api("Crm Calls", "Array with Meta structure as part of result"),
        ),
        "An array with a meta structure: {meta, data}, the form the other paged CRM calls "
        "print. The meta's fields are not printed for this call, so none is answered.",
    ),
    ("display_name", "GET"): Documented(
        obj("display_name"),
        (
            api("Crm Calls", "Check if a display name exists and is valid"),
            api("Crm Calls", "Either a valid display name (modified if the display name is taken)"),
        ),
        "No is_available: a name that comes back changed was taken.",
    ),
    ("fan_activities", "GET"): Documented(
        ListOf(obj("account_id fan_id creation_date campaign_title props")),
        (api("Crm Calls", "Obtain a list of activities for a given Fan"),),
    ),
    ("fan_activities", "POST"): Documented(
        obj("fan_id activity_id"),
        (api("Crm Calls", "Create new Activity Record for a given Fan"),),
    ),
    ("fan_registrations", "GET"): Documented(
        ListOf(REGISTRATION),
        (api("Crm Calls", "Obtain a list of known registrations for the fan."),),
        'The row "email on the ticket" is read as the field email (the reading that keeps '
        "it). No performance_uid: only the account-wide registration query prints it.",
    ),
    ("fan_registrations", "POST"): Documented(
        obj("fan_id registration_key"),
        (api("Crm Calls", "Create new Registration Record for a given Fan"),),
    ),
    ("performances", "GET"): Documented(
        ListOf(PERFORMANCE),
        (api("Misc Calls", "Get all account performances"),),
        "Inferred path. No start or end timestamps.",
    ),
}

# Routes of urls.py that are not JSON calls of the API, and why the table leaves them alone.
UNTOUCHED: Mapping[str, str] = {
    "home": "HTML page of the sandbox itself.",
    "outbox": "HTML page of the sandbox itself (the codes it 'sent').",
    "outbox_json": "The sandbox's own test aid, not an API call.",
    "oauth": "HTML sign-in pages and redirects of the OAuth flow.",
    "fb_media": "Images.",
    "tracker_follow": "The redirect of a tracked link, followed by a fan's browser.",
    "trackers": "HTML page of the sandbox itself (the trackers of link_url quests).",
}
