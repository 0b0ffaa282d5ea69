"""``manage.py tbits_setup`` against the live sandbox, over real HTTP through tbits_client.

Each test gets a business the seed never touched (``fresh_business``), so "empty" means
empty; the sandbox's rows are read back through its own models to see what really changed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import responses

from tests.operators.conftest import BAND, CONCERT, EXAMPLE, MATCHDAY, FreshBusiness, Run

EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")
RunCommand = Callable[..., Run]
WriteFile = Callable[[str], str]


def plan_lines(run: Run) -> list[str]:
    """The change lines of a printed plan (``+ create quest 'X': ...``), without details."""
    return [
        line.strip()
        for line in run.stdout.splitlines()
        if line.strip().startswith(("+ ", "~ ", "- ", "-/+ "))
    ]


def test_plan_on_an_empty_business_lists_everything_and_changes_nothing(
    fresh_business: FreshBusiness, run_command: RunCommand
) -> None:
    run = run_command("tbits_setup", str(EXAMPLE), "--plan")

    assert run.ok, run.error
    lines = plan_lines(run)
    assert sum(line.startswith("+ create tier") for line in lines) == 4
    assert sum(line.startswith("+ create quest") for line in lines) == 11
    assert sum(line.startswith("+ create reward") for line in lines) == 8
    assert len(lines) == 23
    assert "+ create quest 'Check in at the stadium': scan, 200 points" in lines
    assert "+ create reward 'Bronze Member Badge': badge, at tier 'Bronze'" in lines
    assert "23 changes: 23 to create, 0 to update, 0 to recreate, 0 to delete." in run.stdout
    assert "nothing was changed" in run.stdout
    assert fresh_business.quests() == {}
    assert fresh_business.rewards() == {}
    assert fresh_business.tiers() == {}


def test_apply_creates_the_programme_and_a_second_run_finds_nothing_to_do(
    fresh_business: FreshBusiness, run_command: RunCommand
) -> None:
    applied = run_command("tbits_setup", str(EXAMPLE))

    assert applied.ok, applied.stderr + str(applied.error)
    assert "Applied 23 change(s)." in applied.stdout
    assert fresh_business.tiers() == {"Bronze": 100, "Silver": 500, "Gold": 1500, "Platinum": 5000}
    quests = fresh_business.quests()
    assert len(quests) == 11
    shop, follow = quests["Visit the club shop"], quests["Follow us on Instagram"]
    assert shop.required_page_tab_ids == [follow.page_tab_id]
    scan = quests["Check in at the stadium"]
    assert str(scan.performance_id) == fresh_business.matchday_uid
    assert scan.scan_group_names == ["gate-a", "gate-b"]
    assert quests["Link your wristband"].point_tier.tier_name == "Silver"
    assert str(quests["Share the matchday playlist"].idol_id) == fresh_business.band_uid
    rewards = fresh_business.rewards()
    assert len(rewards) == 8
    gold = rewards["Gold Merch Discount"]
    assert (gold.winner_selection_model, gold.reward_limit) == ("first", 3)
    assert gold.prize_codes.count() == 5
    chain = rewards["Superfan Chain Badge"]
    assert len(chain.required_page_tab_ids) == 3

    again = run_command("tbits_setup", str(EXAMPLE), "--plan")
    assert again.ok
    assert plan_lines(again) == []
    assert "No changes: the account matches the file." in again.stdout

    second_apply = run_command("tbits_setup", str(EXAMPLE))
    assert second_apply.ok
    assert f"No changes: the account matches {EXAMPLE}." in second_apply.stdout
    assert fresh_business.quests()["Visit the club shop"].page_tab_id == shop.page_tab_id


def test_a_changed_file_changes_exactly_the_changed_entities(
    fresh_business: FreshBusiness,
    run_command: RunCommand,
    write_file: WriteFile,
) -> None:
    assert run_command("tbits_setup", str(EXAMPLE)).ok
    before = {title: quest.page_tab_id for title, quest in fresh_business.quests().items()}
    rewards_before = {title: r.reward_uid for title, r in fresh_business.rewards().items()}
    changed = (
        EXAMPLE_TEXT.replace("min_points = 500", "min_points = 600")
        .replace("fan_points_reward = 75", "fan_points_reward = 80")
        .replace('description = "For fans who reach Bronze."', 'description = "Bronze: well done."')
    )
    path = write_file(changed)

    planned = run_command("tbits_setup", path, "--plan")

    assert plan_lines(planned) == [
        f"~ update tier 'Silver' (point_tier_uid {fresh_business.tier_uid('Silver')})",
        f"-/+ recreate (delete, then create) quest 'Matchday poll' (page_tab_id "
        f"{before['Matchday poll']})",
        f"-/+ recreate (delete, then create) reward 'Bronze Member Badge' (reward_uid "
        f"{rewards_before['Bronze Member Badge']})",
    ]
    assert "min_points: 500 -> 600" in planned.stdout
    assert "fan_points_reward: 75 -> 80" in planned.stdout
    assert "description: 'For fans who reach Bronze.' -> 'Bronze: well done.'" in planned.stdout
    assert "deleted and created again" in planned.stdout

    applied = run_command("tbits_setup", path)

    assert applied.ok, applied.stderr
    assert "Applied 3 change(s)." in applied.stdout
    after = {title: quest.page_tab_id for title, quest in fresh_business.quests().items()}
    assert after["Matchday poll"] != before["Matchday poll"]
    unchanged = {title: ident for title, ident in after.items() if title != "Matchday poll"}
    assert unchanged == {t: i for t, i in before.items() if t != "Matchday poll"}
    assert fresh_business.quests()["Matchday poll"].fan_points_reward == 80
    assert fresh_business.tiers()["Silver"] == 600
    # Updated in place: the quest and the pass that name Silver still name the same tier.
    assert fresh_business.quests()["Link your wristband"].point_tier.min_points == 600
    assert plan_lines(run_command("tbits_setup", path, "--plan")) == []


def test_recreating_a_prerequisite_rewires_what_requires_it(
    fresh_business: FreshBusiness, run_command: RunCommand, write_file: WriteFile
) -> None:
    assert run_command("tbits_setup", str(EXAMPLE)).ok
    path = write_file(
        EXAMPLE_TEXT.replace('button_text = "Follow us"', 'button_text = "Follow the club"')
    )

    planned = run_command("tbits_setup", path, "--plan")
    keys = [line.split("(page_tab_id")[0].split("(reward_uid")[0] for line in plan_lines(planned)]

    assert keys == [
        "-/+ recreate (delete, then create) quest 'Follow us on Instagram' ",
        "-/+ recreate (delete, then create) quest 'Visit the club shop' ",
        "-/+ recreate (delete, then create) quest 'Share the matchday playlist' ",
        "-/+ recreate (delete, then create) reward 'Superfan Chain Badge' ",
    ]
    assert run_command("tbits_setup", path).ok
    quests = fresh_business.quests()
    follow = quests["Follow us on Instagram"].page_tab_id
    shop = quests["Visit the club shop"].page_tab_id
    assert quests["Visit the club shop"].required_page_tab_ids == [follow]
    assert sorted(quests["Share the matchday playlist"].required_page_tab_ids) == sorted(
        [follow, shop]
    )
    chain = fresh_business.rewards()["Superfan Chain Badge"]
    assert follow in chain.required_page_tab_ids
    assert plan_lines(run_command("tbits_setup", path, "--plan")) == []


def test_entities_missing_from_the_file_are_deleted_only_when_asked(
    fresh_business: FreshBusiness, run_command: RunCommand, write_file: WriteFile
) -> None:
    assert run_command("tbits_setup", str(EXAMPLE)).ok
    survey = EXAMPLE_TEXT.index('[[quests]]\nquest_title = "Pre-season survey"')
    badge = EXAMPLE_TEXT.index('[[rewards]]\nreward_title = "Last Season Badge"')
    next_quest = EXAMPLE_TEXT.index("[[quests]]", survey + 1)
    shorter = EXAMPLE_TEXT[:survey] + EXAMPLE_TEXT[next_quest:badge]
    path = write_file(shorter)

    kept = run_command("tbits_setup", path)

    assert kept.ok
    assert "No changes" in kept.stdout
    assert "Quest 'Pre-season survey'" in kept.stdout and "kept" in kept.stdout
    assert "Pre-season survey" in fresh_business.quests()

    deleted = run_command("tbits_setup", path, "--delete-missing")

    assert deleted.ok, deleted.stderr
    assert "- delete quest 'Pre-season survey'" in deleted.stdout
    assert "- delete reward 'Last Season Badge'" in deleted.stdout
    assert "Applied 2 change(s)." in deleted.stdout
    assert "Pre-season survey" not in fresh_business.quests()
    assert "Last Season Badge" not in fresh_business.rewards()
    assert len(fresh_business.quests()) == 10


INVALID_FILES = [
    pytest.param(
        EXAMPLE_TEXT.replace(
            'winner_selection_model = "first"\nreward_limit = 3\n',
            'winner_selection_model = "first"\n',
        ),
        "reward #3 'Gold Merch Discount', field reward_limit: is required when "
        "winner_selection_model is first",
        id="first-without-reward-limit",
    ),
    pytest.param(
        EXAMPLE_TEXT.replace(
            'fan_points_reward = 200\nperformance = "Harbour City FC vs Northside United"\n',
            "fan_points_reward = 200\n",
        ),
        "quest #7 'Check in at the stadium', field performance: is required for scan quests",
        id="scan-without-performance",
    ),
    pytest.param(
        EXAMPLE_TEXT.replace('point_tier = "Silver"\n', 'point_tier = "Diamond"\n', 1),
        "quest #8 'Link your wristband', field point_tier: names tier 'Diamond', which this "
        "file does not define",
        id="tier-not-in-file",
    ),
]


@pytest.mark.parametrize(("text", "expected"), INVALID_FILES)
def test_an_invalid_file_names_the_field_and_makes_no_api_call(
    fresh_business: FreshBusiness,
    run_command: RunCommand,
    write_file: WriteFile,
    text: str,
    expected: str,
) -> None:
    path = write_file(text)

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        run = run_command("tbits_setup", path)
        calls = len(mock.calls)  # read inside: leaving the block resets the list

    assert calls == 0
    assert run.error is not None
    assert "nothing was sent to the API" in run.error
    assert f"{path}: {expected}" in run.stderr
    assert fresh_business.quests() == {}


def test_the_same_files_do_reach_the_api_when_valid(
    fresh_business: FreshBusiness, run_command: RunCommand, write_file: WriteFile
) -> None:
    """The control for the test above: a valid file under the same mock does call out."""
    path = write_file(EXAMPLE_TEXT)

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        run = run_command("tbits_setup", path, "--plan")
        calls = len(mock.calls)

    assert calls >= 1
    assert run.error is not None and "Cannot reach the API" in run.error


def test_a_file_for_another_business_is_refused_before_any_call(
    fresh_business: FreshBusiness, run_command: RunCommand, write_file: WriteFile
) -> None:
    path = write_file("business_id = 2002\n" + EXAMPLE_TEXT)

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        run = run_command("tbits_setup", path)
        calls = len(mock.calls)

    assert calls == 0
    assert run.error is not None
    assert (
        "is for business 2002 (its business_id), but this would apply it to business "
        f"{fresh_business.business_id}" in run.error
    )


@pytest.mark.sandbox_full  # "none assigned" is the business's point_uid: an extra field
def test_a_business_without_point_type_gets_one_then_waits_for_the_admin_ui(
    make_business: Callable[..., FreshBusiness], run_command: RunCommand
) -> None:
    business = make_business(with_point_type=False)

    planned = run_command("tbits_setup", str(EXAMPLE), "--plan")

    assert planned.ok
    lines = plan_lines(planned)
    assert lines[0] == "+ create point type 'Fan Points'"
    assert len(lines) == 24
    assert "has no point type assigned" in planned.stdout

    first = run_command("tbits_setup", str(EXAMPLE))

    assert first.error is not None
    assert "quests and rewards are held back" in first.error
    assert "Business > Fan Loyalty Portal" in first.error
    assert business.tiers() == {"Bronze": 100, "Silver": 500, "Gold": 1500, "Platinum": 5000}
    assert business.quests() == {}

    business.assign_point_type("Fan Points")  # the admin UI step
    second = run_command("tbits_setup", str(EXAMPLE))

    assert second.ok, second.error
    assert "Applied 19 change(s)." in second.stdout
    assert len(business.quests()) == 11
    assert plan_lines(run_command("tbits_setup", str(EXAMPLE), "--plan")) == []


def test_on_documented_answers_setup_completes_and_says_to_check_the_admin_ui(
    make_business: Callable[..., FreshBusiness], run_command: RunCommand, settings: Any
) -> None:
    """The documented businesses answer names no point type, so nothing is held back for it.

    "Link the point type to the business. In the admin UI, go to Business > Fan Loyalty
    Portal and select the point type" (loyalty-portal-integration.txt, Setup Process,
    Step 2): the API cannot do it, nor say whether it was done.
    """
    settings.TBITS_SANDBOX_DOCUMENTED_ONLY = True
    business = make_business()  # assigned in the admin UI, which no answer shows

    first = run_command("tbits_setup", str(EXAMPLE))

    assert first.ok, first.error
    assert "The API does not say which point type business" in first.stdout
    assert len(business.quests()) == 11
    assert plan_lines(run_command("tbits_setup", str(EXAMPLE), "--plan")) == []


def test_an_unknown_event_blocks_the_apply_before_any_change(
    fresh_business: FreshBusiness, run_command: RunCommand, write_file: WriteFile
) -> None:
    path = write_file(EXAMPLE_TEXT.replace(CONCERT, "Cup final"))

    run = run_command("tbits_setup", path)

    assert run.error is not None and "Nothing was changed" in run.error
    assert "quest 'Season finale watch party': performance 'Cup final' is not in the account" in (
        run.stdout
    )
    assert fresh_business.tiers() == {}


def test_media_by_uid_is_set_and_compared(
    fresh_business: FreshBusiness, run_command: RunCommand, write_file: WriteFile
) -> None:
    text = EXAMPLE_TEXT.replace(
        'button_text = "Complete profile"\n',
        f'button_text = "Complete profile"\nmedia_uid = "{fresh_business.media_uid.upper()}"\n',
    )
    path = write_file(text)

    assert run_command("tbits_setup", path).ok

    assert (
        str(fresh_business.quests()["Complete your profile"].media_id) == fresh_business.media_uid
    )
    assert plan_lines(run_command("tbits_setup", path, "--plan")) == []
    without = run_command("tbits_setup", str(EXAMPLE), "--plan")
    assert "media_uid: '" + fresh_business.media_uid + "' -> (none)" in without.stdout


def test_a_call_the_api_refuses_stops_the_apply_and_a_rerun_finishes(
    fresh_business: FreshBusiness, run_command: RunCommand, write_file: WriteFile
) -> None:
    # A well-formed id of an image the account does not have: only the API can tell.
    unknown = "0f0e2a4c-1111-4a4a-9999-123456789abc"
    broken = EXAMPLE_TEXT.replace(
        'description = "For fans who reach Bronze."\n',
        f'description = "For fans who reach Bronze."\nmedia_uid = "{unknown}"\n',
    )
    path = write_file(broken)

    failed = run_command("tbits_setup", path)

    assert failed.error is not None
    assert "Stopped after 15 call(s)" in failed.error
    assert "Failed to create reward 'Bronze Member Badge'" in failed.stderr
    assert "media_uid does not name a media asset" in failed.stderr
    assert len(fresh_business.quests()) == 11
    assert fresh_business.rewards() == {}

    finished = run_command("tbits_setup", str(EXAMPLE))

    assert finished.ok, finished.stderr
    assert "Applied 8 change(s)." in finished.stdout


def test_the_example_sets_up_the_programme_the_seed_shows(
    fresh_business: FreshBusiness, live_sandbox: Any, run_command: RunCommand
) -> None:
    from tbits_sandbox.models import Quest, Reward

    assert run_command("tbits_setup", str(EXAMPLE)).ok

    def quest_shape(business_id: int) -> dict[str, tuple[Any, ...]]:
        found = Quest.objects.filter(business_id=business_id).select_related(
            "performance", "point_tier", "idol"
        )
        titles = {quest.page_tab_id: quest.quest_title for quest in found}
        return {
            q.quest_title: (
                q.quest_type,
                q.reward_type,
                q.fan_points_reward,
                q.quest_description,
                q.button_text,
                q.link_url,
                q.target_page_tab_id,
                sorted(q.scan_group_names),
                q.site_name,
                q.access_restriction_type,
                q.fan_points_required,
                q.point_tier.tier_name if q.point_tier else None,
                sorted(titles[i] for i in q.required_page_tab_ids),
                q.tag_name,
                q.performance.performance_name if q.performance else None,
                q.idol.idol_name if q.idol else None,
            )
            for q in found
        }

    def reward_shape(business_id: int) -> dict[str, tuple[Any, ...]]:
        titles = dict(
            Quest.objects.filter(business_id=business_id).values_list("page_tab_id", "quest_title")
        )
        found = Reward.objects.filter(business_id=business_id).select_related(
            "performance", "point_tier"
        )
        return {
            r.reward_title: (
                r.reward_type,
                r.description,
                r.timezone,
                r.winner_selection_model,
                r.reward_limit,
                r.requirement_type,
                r.point_tier.tier_name if r.point_tier else None,
                sorted(titles[i] for i in r.required_page_tab_ids),
                r.performance.performance_name if r.performance else None,
                r.access_pass_type,
                r.is_limited,
                r.atvenu_sales_event_key,
                r.atvenu_promo_key,
                r.atvenu_delivery_method,
                r.bestring_location_group_id,
                r.bestring_promotion_id,
            )
            for r in found
        }

    seed_business = live_sandbox.seed.business_id
    assert quest_shape(fresh_business.business_id) == quest_shape(seed_business)
    ours, seeds = reward_shape(fresh_business.business_id), reward_shape(seed_business)
    # The seed's rewards are in Vancouver time too; only the example's dates are fixed.
    assert ours == seeds
    assert {MATCHDAY, CONCERT, BAND} <= set(EXAMPLE_TEXT.split('"'))


def test_an_unreadable_file_is_reported(run_command: RunCommand, tmp_path: Path) -> None:
    run = run_command("tbits_setup", str(tmp_path / "missing.toml"))

    assert run.error is not None
    assert run.error.startswith(f"Cannot read {tmp_path / 'missing.toml'}")


def test_without_the_secret_nothing_is_sent(
    fresh_business: FreshBusiness, settings: Any, run_command: RunCommand
) -> None:
    settings.TBITS = {**settings.TBITS, "API_SECRET": ""}

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        run = run_command("tbits_setup", str(EXAMPLE), "--plan")
        calls = len(mock.calls)

    assert calls == 0
    assert run.error is not None
    assert run.error.startswith("TBITS['API_SECRET'] is not set")
