"""Which point type is the business's currency, from the documented answers only.

No documented answer names a business's point type ("Link the point type to the business.
In the admin UI, go to Business > Fan Loyalty Portal", loyalty-portal-integration.txt, Setup
Process, Step 2), so the choice follows the order of :mod:`loyalty.point_type`.
"""

from __future__ import annotations

from loyalty.point_type import PointTypeSource, choose_point_type, configured_uid
from tbits_client import Business, PointType, Quest

FAN_POINTS = PointType(point_uid="9a1e0000-0000-4000-8000-0000000000f9", point_name="Fan Points")
CLUB_XP = PointType(point_uid="9a1e0000-0000-4000-8000-0000000000e8", point_name="Club XP")
DOCUMENTED_BUSINESS = Business(business_id=2002, business_name="Harbour City FC")


def quest(page_tab_id: int, point_uid: str | None) -> Quest:
    return Quest(page_tab_id=page_tab_id, quest_type="custom", quest_title="Q", point_uid=point_uid)


def test_the_setting_names_the_type_by_name_or_uid() -> None:
    for configured in ("Club XP", CLUB_XP.point_uid):
        choice = choose_point_type(
            configured=configured, point_types=[FAN_POINTS, CLUB_XP], business=None
        )
        assert (choice.point_uid, choice.point_name) == (CLUB_XP.point_uid, "Club XP")
        assert choice.source is PointTypeSource.SETTING


def test_a_setting_naming_no_type_of_the_account_chooses_nothing() -> None:
    choice = choose_point_type(configured="Loyalty XP", point_types=[FAN_POINTS], business=None)
    assert not choice.chosen
    assert choice.source is PointTypeSource.NOT_FOUND


def test_the_business_own_point_uid_when_the_api_answers_it() -> None:
    business = Business(business_id=2002, business_name="H", extra={"point_uid": CLUB_XP.point_uid})
    choice = choose_point_type(
        configured=None, point_types=[FAN_POINTS, CLUB_XP], business=business
    )
    assert (choice.point_name, choice.source) == ("Club XP", PointTypeSource.BUSINESS)


def test_the_account_only_point_type_on_documented_answers() -> None:
    choice = choose_point_type(
        configured=None, point_types=[FAN_POINTS], business=DOCUMENTED_BUSINESS
    )
    assert (choice.point_name, choice.source) == ("Fan Points", PointTypeSource.ONLY_ONE)


def test_several_types_the_quests_documented_point_uid_decides_when_they_agree() -> None:
    quests = [quest(1, CLUB_XP.point_uid), quest(2, None), quest(3, CLUB_XP.point_uid)]
    choice = choose_point_type(
        configured=None,
        point_types=[FAN_POINTS, CLUB_XP],
        business=DOCUMENTED_BUSINESS,
        quests=quests,
    )
    assert (choice.point_name, choice.source) == ("Club XP", PointTypeSource.QUESTS)


def test_several_types_and_nothing_that_says_which_is_ambiguous_not_the_first() -> None:
    """The old fallback took the account's first type: wrong on accounts with several."""
    disagreeing = [quest(1, CLUB_XP.point_uid), quest(2, FAN_POINTS.point_uid)]
    for quests in ([], disagreeing):
        choice = choose_point_type(
            configured=None,
            point_types=[FAN_POINTS, CLUB_XP],
            business=DOCUMENTED_BUSINESS,
            quests=quests,
        )
        assert not choice.chosen
        assert choice.source is PointTypeSource.AMBIGUOUS


def test_an_account_without_point_types() -> None:
    choice = choose_point_type(configured=None, point_types=[], business=DOCUMENTED_BUSINESS)
    assert choice.source is PointTypeSource.NONE


def test_the_uid_known_before_listing_lets_the_tiers_go_out_at_once() -> None:
    assert configured_uid(CLUB_XP.point_uid, None) == CLUB_XP.point_uid
    assert configured_uid("Club XP", None) is None  # a name needs the list first
    business = Business(
        business_id=2002, business_name="H", extra={"point_uid": FAN_POINTS.point_uid}
    )
    assert configured_uid(None, business) == FAN_POINTS.point_uid
    assert configured_uid(None, DOCUMENTED_BUSINESS) is None
