"""Print the venue link (and write its QR code) for a scan quest.

The link carries a signed token naming the quest, so a fan cannot make one up from a quest
id; the page it opens completes the quest for the logged-in fan, only while the quest (and
its performance) is open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import segno
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from accounts.api import business_id, get_client
from loyalty import rules
from loyalty.scan import scan_token


class Command(BaseCommand):
    help = "Print the signed venue link of a scan quest and optionally save its QR code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("page_tab_id", type=int, help="The scan quest's page_tab_id.")
        parser.add_argument(
            "--site", required=True, help="The portal's public origin, e.g. https://fans.example"
        )
        parser.add_argument("--svg", type=Path, help="Write the QR code to this SVG file.")

    def handle(self, *args: Any, **options: Any) -> None:
        site = str(options["site"]).rstrip("/")
        parts = urlsplit(site)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise CommandError("--site must be an absolute http(s) origin.")
        quest_id = options["page_tab_id"]
        quest = next(
            (q for q in get_client().quests(business_id()) if q.page_tab_id == quest_id), None
        )
        if quest is None:
            raise CommandError(f"Business {business_id()} has no quest {quest_id}.")
        if rules.quest_kind(quest.quest_type) is not rules.QuestKind.SCAN:
            raise CommandError(f"Quest {quest_id} is a {quest.quest_type} quest, not a scan quest.")
        url = site + reverse("tbits_loyalty:scan", args=[scan_token(quest_id)])
        self.stdout.write(url)
        if options["svg"]:
            segno.make(url, error="m").save(str(options["svg"]), scale=8, border=4)
            self.stdout.write(f"QR code written to {options['svg']}")
