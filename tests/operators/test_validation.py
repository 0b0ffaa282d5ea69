"""Setup-file validation: every problem names the file, the entity and the field.

Pure: no database, no API. The command-level guarantee that an invalid file makes no API
call is in test_setup_command.py.
"""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from loyalty.programme.params import References, quest_params, reward_params
from loyalty.programme.spec import ById, ByName
from loyalty.programme.validation import (
    ProgrammeInvalid,
    SetupProblem,
    load_programme,
    parse_programme,
)
from tbits_client import QuestRewardType
from tests.operators.conftest import EXAMPLE

HEAD = """
[point_type]
point_name = "Fan Points"

[[tiers]]
tier_name = "Bronze"
min_points = 100

[[tiers]]
tier_name = "Silver"
min_points = 500
"""

REWARD = """
[[rewards]]
reward_title = "Prize"
reward_type = "badge"
expiration_timestamp = 2027-06-30T23:59:00
timezone = "America/Vancouver"
winner_selection_model = "all"
"""


def problems_of(body: str, *, head: str = HEAD) -> tuple[SetupProblem, ...]:
    with pytest.raises(ProgrammeInvalid) as caught:
        parse_programme(head + textwrap.dedent(body), source="club.toml")
    return caught.value.problems


def test_the_example_file_is_valid_and_complete() -> None:
    programme = load_programme(EXAMPLE)

    assert programme.point_name == "Fan Points"
    assert [(t.tier_name, t.min_points) for t in programme.tiers] == [
        ("Bronze", 100),
        ("Silver", 500),
        ("Gold", 1_500),
        ("Platinum", 5_000),
    ]
    assert len(programme.quests) == 11
    assert len(programme.rewards) == 8
    playlist = programme.quest("Share the matchday playlist")
    assert playlist.required_quests == ("Follow us on Instagram", "Visit the club shop")
    assert playlist.idol == ByName("The Tide")
    assert playlist.reward_type is QuestRewardType.FAN_POINTS  # implied by the points


@pytest.mark.parametrize(
    ("body", "entity", "field", "message"),
    [
        pytest.param(
            REWARD.replace('"all"', '"first"'),
            "reward #1 'Prize'",
            "reward_limit",
            "is required when winner_selection_model is first",
            id="first-without-reward-limit",
        ),
        pytest.param(
            """
            [[quests]]
            quest_title = "Gate scan"
            quest_type = "scan"
            scan_group_names = ["gate-a"]
            fan_points_reward = 10
            """,
            "quest #1 'Gate scan'",
            "performance",
            "is required for scan quests",
            id="scan-without-performance",
        ),
        pytest.param(
            """
            [[quests]]
            quest_title = "Band"
            quest_type = "wristband"
            """,
            "quest #1 'Band'",
            "performance",
            "is required for wristband quests",
            id="wristband-without-performance",
        ),
        pytest.param(
            """
            [[quests]]
            quest_title = "VIP"
            quest_type = "custom"
            access_restriction_type = "point_tier"
            point_tier = "Diamond"
            """,
            "quest #1 'VIP'",
            "point_tier",
            "names tier 'Diamond', which this file does not define (its tiers: Bronze, Silver)",
            id="quest-restricted-to-undefined-tier",
        ),
        pytest.param(
            REWARD.replace(
                'winner_selection_model = "all"',
                'winner_selection_model = "all"\n'
                'requirement_type = "point_tier"\npoint_tier = "Gold"',
            ),
            "reward #1 'Prize'",
            "point_tier",
            "names tier 'Gold', which this file does not define",
            id="reward-at-undefined-tier",
        ),
        pytest.param(
            """
            [[quests]]
            quest_title = "Treasure"
            quest_type = "treasure_hunt"
            """,
            "quest #1 'Treasure'",
            "quest_type",
            "'treasure_hunt' is not one of: campaign, quickpicks, link_url, scan, wristband, "
            "custom",
            id="unknown-quest-type",
        ),
        pytest.param(
            REWARD.replace('"badge"', '"voucher"'),
            "reward #1 'Prize'",
            "reward_type",
            "'voucher' is not one of: badge, pass, prize_code, atvenu, bestring",
            id="unknown-reward-type",
        ),
        pytest.param(
            """
            [[quests]]
            quest_title = "Points"
            quest_type = "custom"
            reward_type = "points"
            fan_points_reward = 5
            """,
            "quest #1 'Points'",
            "reward_type",
            # The client's enum plus the file's "none", which the API takes as absence.
            "'points' is not one of: fan_points, none",
            id="unknown-quest-reward-type",
        ),
        pytest.param(
            REWARD + 'requirement_type = "tier"\n',
            "reward #1 'Prize'",
            "requirement_type",
            "'tier' is not one of: point_tier, quests, none",
            id="unknown-requirement-type",
        ),
        pytest.param(
            f"""
            [[quests]]
            quest_title = "{"x" * 129}"
            quest_type = "custom"
            """,
            "quest #1",
            "quest_title",
            "must be at most 128 characters (it has 129)",
            id="title-too-long",
        ),
        pytest.param(
            """
            [[quests]]
            quest_title = "Button"
            quest_type = "custom"
            button_text = "Press this rather long button now!"
            """,
            "quest #1 'Button'",
            "button_text",
            "must be at most 32 characters (it has 34)",
            id="button-text-too-long",
        ),
        pytest.param(
            """
            [[quests]]
            quest_title = "Jackpot"
            quest_type = "custom"
            fan_points_reward = 10_000_001
            """,
            "quest #1 'Jackpot'",
            "fan_points_reward",
            "must be at most 10,000,000 (it is 10,000,001)",
            id="points-over-the-cap",
        ),
        pytest.param(
            """
            [[tiers]]
            tier_name = "Legend"
            min_points = 20_000_000
            """,
            "tier #3 'Legend'",
            "min_points",
            "must be at most 10,000,000",
            id="tier-over-the-cap",
        ),
        pytest.param(
            """
            [[quests]]
            quest_title = "Twice"
            quest_type = "custom"

            [[quests]]
            quest_title = "Twice"
            quest_type = "custom"
            """,
            "quest #2 'Twice'",
            "quest_title",
            "duplicates quest #1",
            id="duplicate-quest-titles",
        ),
        pytest.param(
            REWARD + REWARD,
            "reward #2 'Prize'",
            "reward_title",
            "duplicates reward #1",
            id="duplicate-reward-titles",
        ),
        pytest.param(
            """
            [[tiers]]
            tier_name = "Bronze"
            min_points = 50
            """,
            "tier #3 'Bronze'",
            "tier_name",
            "duplicates tier #1",
            id="duplicate-tier-names",
        ),
        pytest.param(
            """
            [[tiers]]
            tier_name = "Copper"
            min_points = 100
            """,
            "tier #3 'Copper'",
            "min_points",
            "is also the minimum of tier 'Bronze'",
            id="two-tiers-at-one-minimum",
        ),
        pytest.param(
            """
            [[quests]]
            quest_title = "Follow us"
            quest_type = "custom"

            [[quests]]
            quest_title = "Shop"
            quest_type = "custom"
            access_restriction_type = "quests"
            required_quests = ["Follow Us"]
            """,
            "quest #2 'Shop'",
            "required_quests",
            "names quest 'Follow Us', which this file does not define; did you mean 'Follow us'?",
            id="prerequisite-not-in-file",
        ),
        pytest.param(
            """
            [[quests]]
            quest_title = "A"
            quest_type = "custom"
            access_restriction_type = "quests"
            required_quests = ["B"]

            [[quests]]
            quest_title = "B"
            quest_type = "custom"
            access_restriction_type = "quests"
            required_quests = ["A"]
            """,
            "quest #",
            "required_quests",
            "prerequisites go round in a circle",
            id="prerequisite-cycle",
        ),
        pytest.param(
            """
            [[quests]]
            quest_title = "Typo"
            quest_type = "custom"
            fan_point_reward = 10
            """,
            "quest #1 'Typo'",
            "fan_point_reward",
            "is not a known field; did you mean 'fan_points_reward'?",
            id="unknown-field",
        ),
        pytest.param(
            """
            [[quests]]
            quest_title = "By id"
            quest_type = "custom"
            access_restriction_type = "point_tier"
            point_tier_uid = "0f0e2a4c-1111-4a4a-9999-123456789abc"
            """,
            "quest #1 'By id'",
            "point_tier_uid",
            'write point_tier = "<tier_name of a tier in this file>" instead',
            id="tier-by-id-instead-of-name",
        ),
        pytest.param(
            """
            [[quests]]
            quest_title = "Custom"
            quest_type = "custom"
            link_url = "https://example.com/"
            """,
            "quest #1 'Custom'",
            "link_url",
            "is only used by link_url quests",
            id="field-the-api-would-ignore",
        ),
        pytest.param(
            """
            [[quests]]
            quest_title = "Poll"
            quest_type = "campaign"
            """,
            "quest #1 'Poll'",
            "target_page_tab_id",
            "is required for campaign quests",
            id="campaign-without-target",
        ),
        pytest.param(
            """
            [[quests]]
            quest_title = "Link"
            quest_type = "link_url"
            link_url = "javascript:alert(1)"
            """,
            "quest #1 'Link'",
            "link_url",
            "must be an http or https URL",
            id="link-not-http",
        ),
        pytest.param(
            """
            [[quests]]
            quest_title = "Rich"
            quest_type = "custom"
            access_restriction_type = "fan_points"
            """,
            "quest #1 'Rich'",
            "fan_points_required",
            "is required when access_restriction_type is fan_points",
            id="fan-points-restriction-without-amount",
        ),
        pytest.param(
            """
            [[quests]]
            quest_title = "Nothing"
            quest_type = "custom"
            reward_type = "none"
            fan_points_reward = 5
            """,
            "quest #1 'Nothing'",
            "fan_points_reward",
            "is not used when reward_type is none",
            id="points-on-a-quest-without-reward",
        ),
        pytest.param(
            """
            [[quests]]
            quest_title = "Text"
            quest_type = "custom"
            fan_points_reward = "50"
            """,
            "quest #1 'Text'",
            "fan_points_reward",
            "must be a whole number, not the text '50'",
            id="number-as-text",
        ),
        pytest.param(
            """
            [[quests]]
            quest_title = "Backwards"
            quest_type = "custom"
            start_date = 2027-05-02
            end_date = 2027-05-01
            """,
            "quest #1 'Backwards'",
            "end_date",
            "2027-05-01 is before start_date 2027-05-02",
            id="end-before-start",
        ),
        pytest.param(
            """
            [[quests]]
            quest_title = "Art"
            quest_type = "custom"
            media_uid = "logo.png"
            """,
            "quest #1 'Art'",
            "media_uid",
            "'logo.png' is not a valid id",
            id="media-uid-not-an-id",
        ),
        pytest.param(
            REWARD.replace('"badge"', '"pass"'),
            "reward #1 'Prize'",
            "access_start_timestamp",
            "is required for pass rewards",
            id="pass-without-window",
        ),
        pytest.param(
            REWARD.replace('"badge"', '"prize_code"'),
            "reward #1 'Prize'",
            "prize_codes",
            "is required for prize_code rewards",
            id="prize-code-without-codes",
        ),
        pytest.param(
            REWARD.replace('"badge"', '"prize_code"') + 'prize_codes = ["A-1", "B,2"]\n',
            "reward #1 'Prize'",
            "prize_codes",
            "entries cannot contain commas",
            id="prize-code-with-a-comma",
        ),
        pytest.param(
            REWARD.replace('"badge"', '"atvenu"'),
            "reward #1 'Prize'",
            "performance",
            "is required for atvenu rewards",
            id="atvenu-without-performance",
        ),
        pytest.param(
            REWARD + 'bestring_promotion_id = "fast-lane"\n',
            "reward #1 'Prize'",
            "bestring_promotion_id",
            "is only used by bestring rewards",
            id="partner-field-on-a-badge",
        ),
        pytest.param(
            REWARD.replace("America/Vancouver", "Pacific Time"),
            "reward #1 'Prize'",
            "timezone",
            "'Pacific Time' is not an IANA time zone",
            id="unknown-timezone",
        ),
        pytest.param(
            REWARD.replace("2027-06-30T23:59:00", "2027-06-30"),
            "reward #1 'Prize'",
            "expiration_timestamp",
            "must be a date and time like 2027-06-30T23:59:59",
            id="expiration-without-time",
        ),
    ],
)
def test_each_problem_names_entity_and_field(
    body: str, entity: str, field: str, message: str
) -> None:
    problems = problems_of(body)

    matching = [p for p in problems if p.field == field and message in p.message]
    assert matching, f"no {field!r} problem saying {message!r} in: {problems}"
    assert matching[0].entity.startswith(entity)
    assert matching[0].file == "club.toml"


def test_a_missing_point_type_is_reported() -> None:
    problems = problems_of("", head='[[tiers]]\ntier_name = "Bronze"\nmin_points = 1\n')

    assert [(p.entity, p.field) for p in problems] == [("[point_type]", "point_name")]


def test_broken_toml_names_the_line() -> None:
    problems = problems_of("[[quests]\nquest_title = 'x'\n")

    assert len(problems) == 1
    assert problems[0].entity == "the file"
    assert "is not valid TOML" in problems[0].message
    assert "line" in problems[0].message


def test_every_problem_is_reported_at_once() -> None:
    problems = problems_of(
        """
        [[quests]]
        quest_title = "One"
        quest_type = "scan"

        [[quests]]
        quest_title = "Two"
        quest_type = "custom"
        button_text = "This button text is far too long to fit"
        """
        + REWARD.replace('"all"', '"first"')
    )

    assert {(p.entity.split(" ")[0] + " " + p.entity.split(" ")[1], p.field) for p in problems} >= {
        ("quest #1", "performance"),
        ("quest #1", "scan_group_names"),
        ("quest #2", "button_text"),
        ("reward #1", "reward_limit"),
    }


def test_a_problem_reads_as_file_entity_field_message() -> None:
    problem = problems_of(REWARD.replace('"all"', '"first"'))[0]

    assert str(problem) == (
        "club.toml: reward #1 'Prize', field reward_limit: is required when "
        "winner_selection_model is first (how many fans get it)"
    )


def test_times_are_wall_clock_times_in_the_reward_timezone() -> None:
    programme = parse_programme(
        HEAD
        + REWARD.replace("2027-06-30T23:59:00", "2027-07-01T06:59:00Z")
        + 'reward_limit = 5\nrequirement_type = "none"\n',
        source="club.toml",
    )

    reward = programme.rewards[0]
    # 06:59 UTC is 23:59 the day before in Vancouver (summer time, UTC-7).
    assert reward.expiration_timestamp == dt.datetime(2027, 6, 30, 23, 59)
    assert reward.requirement_type is None  # "none": assigned by hand
    assert reward.reward_limit == 5


def test_events_and_idols_by_name_or_by_id() -> None:
    programme = parse_programme(
        HEAD
        + """
[[quests]]
quest_title = "Scan"
quest_type = "scan"
scan_group_names = "gate-a, gate-b"
performance_uid = "0F0E2A4C-1111-4A4A-9999-123456789ABC"
idol = "The Tide"
""",
        source="club.toml",
    )

    quest = programme.quests[0]
    assert quest.performance == ById("0f0e2a4c-1111-4a4a-9999-123456789abc")
    assert quest.idol == ByName("The Tide")
    assert quest.scan_group_names == ("gate-a", "gate-b")


def test_both_name_and_id_is_a_problem() -> None:
    problems = problems_of(
        """
        [[quests]]
        quest_title = "Scan"
        quest_type = "wristband"
        performance = "Matchday"
        performance_uid = "0f0e2a4c-1111-4a4a-9999-123456789abc"
        """
    )

    assert [(p.field, p.message) for p in problems] == [
        ("performance", "give either performance or performance_uid, not both")
    ]


def test_prerequisites_come_first_whatever_the_file_order() -> None:
    programme = parse_programme(
        HEAD
        + """
[[quests]]
quest_title = "Last"
quest_type = "custom"
access_restriction_type = "quests"
required_quests = ["Middle", "First"]

[[quests]]
quest_title = "Middle"
quest_type = "custom"
access_restriction_type = "quests"
required_quests = ["First"]

[[quests]]
quest_title = "First"
quest_type = "custom"
""",
        source="club.toml",
    )

    order = [quest.quest_title for quest in programme.quests_in_dependency_order]
    assert order == ["First", "Middle", "Last"]


def test_none_is_the_files_word_and_never_reaches_the_api() -> None:
    programme = parse_programme(
        HEAD
        + textwrap.dedent(
            """
            [[quests]]
            quest_title = "Say hello"
            quest_type = "custom"
            reward_type = "none"
            """
        )
        + REWARD
        + 'requirement_type = "none"\n',
        source="club.toml",
    )

    quest, reward = programme.quests[0], programme.rewards[0]
    assert quest.reward_type is None
    assert reward.requirement_type is None
    # "none" is not an API value: the field is left out of the creation call instead.
    assert quest_params(quest, References())["reward_type"] is None
    assert reward_params(reward, References())["requirement_type"] is None
