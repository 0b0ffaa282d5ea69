"""Seed the account itself: its keys and legal texts, media, point type, tiers and business."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tbits_sandbox.models import Account, Business, MediaAsset, PointTypeRecord, Tier

POINT_NAME = "Fan Points"
TIERS = (("Bronze", 100), ("Silver", 500), ("Gold", 1_500), ("Platinum", 5_000))

# The art of quests, rewards and idols: slug, label, gradient start, gradient end.
ART = (
    ("quest-profile", "Profile", "#1e88e5", "#43a047"),
    ("quest-social", "Follow", "#d81b60", "#8e24aa"),
    ("quest-stadium", "Stadium", "#00897b", "#3949ab"),
    ("quest-lounge", "VIP", "#6d4c41", "#f9a825"),
    ("reward-badge", "Badge", "#f9a825", "#ef6c00"),
    ("reward-pass", "Pass", "#3949ab", "#00acc1"),
    ("idol-captain", "Captain", "#5e35b1", "#1e88e5"),
    ("idol-band", "Band", "#c62828", "#ad1457"),
)


@dataclass(frozen=True)
class SeededAccount:
    """The account's rows the rest of the seed hangs off."""

    account: Account
    business: Business
    point_type: PointTypeRecord
    tiers: dict[str, Tier]
    branding: list[MediaAsset]
    art: dict[str, MediaAsset]


def _media(account: Account, slug: str, **recipe: Any) -> MediaAsset:
    asset, _ = MediaAsset.objects.update_or_create(account=account, slug=slug, defaults=recipe)
    return asset


def seed_account(
    *,
    api_key: str,
    api_secret: str,
    account_id: int,
    business_id: int,
    terms_required: bool,
) -> SeededAccount:
    """Create or update the account, its media, point type, tiers and business."""
    # A key may have been used by an earlier seed with another account id: move it along.
    Account.objects.filter(api_key=api_key).exclude(account_id=account_id).delete()
    account, _ = Account.objects.update_or_create(
        account_id=account_id,
        defaults={
            "name": "Harbour City FC (sandbox)",
            "api_key": api_key,
            "api_secret": api_secret,
            "header_text": "Welcome to the Harbour City FC fan club",
            "legal_terms": (
                "By joining you agree to the Harbour City FC fan club terms: points have no "
                "cash value and rewards are subject to availability."
            ),
            "legal_privacy": (
                "We use your email and phone only to run the fan club. You can ask us to "
                "delete your data at any time."
            ),
            "terms_acceptance_required": terms_required,
        },
    )
    logo = _media(
        account,
        "logo",
        label="HCFC",
        colour_from="#0b57d0",
        colour_to="#00838f",
        width=256,
        height=256,
    )
    header = _media(
        account,
        "header",
        label="Harbour City FC",
        colour_from="#0b57d0",
        colour_to="#7b1fa2",
        width=1200,
        height=400,
        format=MediaAsset.Format.PNG,
    )
    background = _media(
        account,
        "background",
        label="",
        colour_from="#e8f0fe",
        colour_to="#e0f7fa",
        width=1600,
        height=900,
        format=MediaAsset.Format.PNG,
    )
    art = {
        slug: _media(account, slug, label=label, colour_from=start, colour_to=end)
        for slug, label, start, end in ART
    }
    account.logo_media = logo
    account.save(update_fields=["logo_media"])

    point_type, _ = PointTypeRecord.objects.get_or_create(account=account, point_name=POINT_NAME)
    tiers = {}
    for name, minimum in TIERS:
        tier, _ = Tier.objects.update_or_create(
            point_type=point_type, tier_name=name, defaults={"min_points": minimum}
        )
        tiers[name] = tier

    business, _ = Business.objects.update_or_create(
        business_id=business_id,
        defaults={
            "account": account,
            "business_name": "Harbour City FC",
            "point_type": point_type,
            "style_props": {
                "primary_color": "#0b57d0",
                "secondary_color": "#00838f",
                "accent_color": "#f9a825",
                "background_color": "#ffffff",
                "text_color": "#1f1f1f",
                "font_family": "system-ui, sans-serif",
            },
            "media_map": {
                "logo": str(logo.media_uid),
                "header": str(header.media_uid),
                "background": str(background.media_uid),
            },
            "locale_props": {"portal_title": "Harbour City FC Fan Club"},
            "legal_rules": "One account per fan. Quests may be completed once.",
        },
    )
    return SeededAccount(
        account=account,
        business=business,
        point_type=point_type,
        tiers=tiers,
        branding=[logo, header, background],
        art=art,
    )
