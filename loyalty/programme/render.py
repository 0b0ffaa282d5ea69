"""A plan as an operator reads it: one line per change, field by field, with consequences.

Plain text for a terminal or a CI log. The wording is English only: Django management
commands run with translations deactivated, and operators read the provider's English docs.
"""

from __future__ import annotations

from loyalty.programme.planner import Action, Change, EntityKind, Plan
from loyalty.programme.spec import QuestSpec, RewardSpec, TierSpec
from tbits_client import RequirementType

__all__ = ["HOW_CHANGES_ARE_APPLIED", "render_change", "render_plan", "summary"]

_SIGN = {Action.CREATE: "+", Action.UPDATE: "~", Action.RECREATE: "-/+", Action.DELETE: "-"}

HOW_CHANGES_ARE_APPLIED = (
    "How changes are applied: the API has no call to update a quest or a reward, so a "
    "changed quest or reward is deleted and created again (-/+). A recreated quest gets a "
    "new page_tab_id: fans who completed it see it as not completed and can earn its points "
    "again, and quests or rewards that require it are recreated too. A recreated reward "
    "gets a new reward_uid, and deliveries of the old one may be lost (the sandbox deletes "
    "them). Tiers are updated in place (~): POST point_tiers creates or updates, and the "
    "tier keeps its point_tier_uid."
)


def _describe(change: Change) -> str:
    """The entity as the plan names it, with its id when it has one."""
    label = f"{change.kind} {change.key!r}"
    if change.current_id is None:
        return label
    id_name = {
        EntityKind.TIER: "point_tier_uid",
        EntityKind.QUEST: "page_tab_id",
        EntityKind.REWARD: "reward_uid",
    }.get(change.kind, "id")
    return f"{label} ({id_name} {change.current_id})"


def _gist(spec: TierSpec | QuestSpec | RewardSpec) -> str:
    """The few facts that tell an operator which entity a new one is."""
    if isinstance(spec, TierSpec):
        return f"min_points {spec.min_points:,}"
    if isinstance(spec, QuestSpec):
        points = f", {spec.fan_points_reward:,} points" if spec.fan_points_reward else ""
        return f"{spec.quest_type}{points}"
    earned = {
        RequirementType.POINT_TIER: f"at tier {spec.point_tier!r}",
        RequirementType.QUESTS: f"after {len(spec.required_quests)} quest(s)",
        None: "assigned by hand",
    }[spec.requirement_type]
    return f"{spec.reward_type}, {earned}"


def render_change(change: Change) -> list[str]:
    """The lines of one change: what happens, then each differing field."""
    verb = {
        Action.CREATE: "create",
        Action.UPDATE: "update",
        Action.RECREATE: "recreate (delete, then create)",
        Action.DELETE: "delete",
    }[change.action]
    lines = [f"  {_SIGN[change.action]:>3} {verb} {_describe(change)}"]
    if change.action is Action.CREATE and change.spec is not None:
        lines[0] += f": {_gist(change.spec)}"
    for diff in change.fields:
        lines.append(f"        {diff.field}: {diff.current} -> {diff.desired}")
    if change.action is Action.RECREATE and change.kind is EntityKind.QUEST:
        lines.append(
            "        its page_tab_id changes; completions of the old quest do not carry over"
        )
    return lines


def render_plan(plan: Plan) -> str:
    """The whole plan, ending with a one-line summary."""
    source = plan.programme.source
    lines = [f"Plan for business {plan.business_id} from {source}:"]
    if plan.blockers:
        lines.append("Cannot apply this file to the account:")
        lines.extend(f"  ! {blocker}" for blocker in plan.blockers)
    if plan.is_empty and not plan.blockers:
        lines.append("  No changes: the account matches the file.")
    else:
        for change in plan.changes:
            lines.extend(render_change(change))
    if plan.held_back:
        lines.append("Held back until a step by hand:")
        lines.append(f"  ! {plan.held_back}")
    if plan.notices:
        lines.append("Notes:")
        lines.extend(f"  * {notice}" for notice in plan.notices)
    if plan.count(Action.RECREATE):
        lines.append(HOW_CHANGES_ARE_APPLIED)
    lines.append(summary(plan))
    return "\n".join(lines)


def summary(plan: Plan) -> str:
    """``3 to create, 1 to update, 0 to recreate, 0 to delete.``"""
    if plan.is_empty:
        return "0 changes."
    counts = ", ".join(
        f"{plan.count(action)} to {action.value}"
        for action in (Action.CREATE, Action.UPDATE, Action.RECREATE, Action.DELETE)
    )
    return f"{len(plan.changes)} changes: {counts}."
