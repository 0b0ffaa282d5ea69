"""Pages speak the fan's language: negotiated from the browser, or chosen in the footer.

Everything runs against the seeded sandbox over HTTP, so the pages show real data.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.i18n.catalogues import LOCALE_DIRS, percent_placeholders, read_po

LOGIN = "/accounts/login/"
PORTAL_PAGES = ("dashboard", "quests", "wallet", "leaderboard", "history")
# Words that are the same in both languages, or a fan's data in the seed (English).
SAME_IN_BOTH = {"Code", "Badge", "Pass", "Date", "Fan", "points", "Points"}


class _VisibleText(HTMLParser):
    """Text nodes and the attributes a fan reads or hears, whitespace collapsed."""

    SPOKEN = ("aria-label", "alt", "title", "placeholder", "data-copied")

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.pieces += [value for name, value in attrs if name in self.SPOKEN and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.pieces.append(data)


def visible_text(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    # Collapse layout whitespace only: French typography's no-break spaces are content.
    return [re.sub(r"[ \t\r\n\f]+", " ", piece).strip() for piece in parser.pieces]


def english_only_messages() -> set[str]:
    """English source texts whose French differs, without placeholders (printed as is)."""
    found = set()
    for directory in LOCALE_DIRS:
        for entry in read_po(directory / "fr" / "LC_MESSAGES" / "django.po").entries:
            if (
                entry.msgid_plural is None
                and not percent_placeholders(entry.msgid)
                and entry.msgstr[0] != entry.msgid
                and entry.msgid not in SAME_IN_BOTH
            ):
                found.add(entry.msgid)
    return found


def untranslated(html: str, *, data: Any = None) -> list[str]:
    """English messages left in a page: a whole text node, or a sentence inside one.

    ``data`` is the sandbox's seed: its titles are the programme's own words, in English
    (one quest is called "Link your wristband", like the page that links one).
    """
    english = english_only_messages()
    if data is not None:
        english -= {*data.quests, *data.rewards}
    sentences = {message for message in english if len(message.split()) >= 4}
    left = []
    for piece in visible_text(html):
        if piece in english:
            left.append(piece)
        left += [sentence for sentence in sentences if sentence in piece and sentence != piece]
    return left


def french_client() -> Client:
    return Client(headers={"accept-language": "fr-CA,fr;q=0.9,en;q=0.5"})


def test_login_page_follows_the_browser_language(live_sandbox: Any) -> None:
    french = french_client().get(LOGIN)
    assert french.status_code == 200
    html = french.content.decode()
    assert '<html lang="fr">' in html
    assert french["Content-Language"] == "fr"
    assert "Connectez-vous ou inscrivez-vous" in html
    assert "M\u2019envoyer un code" in html
    assert "Courriel ou numéro de téléphone mobile" in html  # a form label, from Python
    assert "Se connecter · Espace fan" in html  # the title, from the site's catalogue
    assert not untranslated(html), untranslated(html)

    english = Client(headers={"accept-language": "en-US,en;q=0.9"}).get(LOGIN)
    assert '<html lang="en">' in english.content.decode()
    assert "Log in or sign up" in english.content.decode()


def test_language_switcher_is_an_accessible_form_that_works_without_javascript(
    live_sandbox: Any,
) -> None:
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    html = client.get(f"{LOGIN}?next=/portal/wallet/").content.decode()
    form = re.search(r'<form class="language-form".*?</form>', html, re.S)
    assert form is not None, "no language form in the footer"
    form_html = form.group(0)
    assert 'method="post"' in form_html and f'action="{reverse("set_language")}"' in form_html
    assert '<label for="language-select">Language</label>' in form_html
    assert '<select id="language-select" name="language">' in form_html
    assert '<option value="fr" lang="fr">Français</option>' in form_html
    assert '<button type="submit">' in form_html
    # The page comes back to where it was, with its own destination but no other query.
    assert 'name="next" value="/accounts/login/?next=/portal/wallet/"' in form_html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_html)
    assert token is not None

    response = client.post(
        reverse("set_language"),
        {"language": "fr", "next": LOGIN, "csrfmiddlewaretoken": token.group(1)},
    )
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    # The choice beats the browser's own preference from now on.
    after = client.get(LOGIN).content.decode()
    assert '<html lang="fr">' in after and "Connectez-vous ou inscrivez-vous" in after
    assert '<option value="fr" lang="fr" selected>Français</option>' in after


def test_switcher_never_echoes_a_query_that_can_carry_a_code(live_sandbox: Any) -> None:
    html = Client().get(f"{LOGIN}?code=31337-one-time&next=/portal/").content.decode()
    assert "31337-one-time" not in html


def test_switcher_keeps_next_on_the_login_page_only(french_fan: Client) -> None:
    """A logged-in fan's pages (the wallet holds prize codes) echo nothing from the URL."""
    login = Client().get(f"{LOGIN}?next=/portal/rewards/").content.decode()
    assert 'value="/accounts/login/?next=/portal/rewards/"' in login
    planted = "PRIZE-GUESS-7Q"
    for name in ("wallet", "dashboard"):
        url = reverse(f"tbits_loyalty:{name}")
        html = french_fan.get(f"{url}?next={planted}").content.decode()
        assert planted not in html
        assert f'name="next" value="{url}"' in html


@pytest.fixture
def french_fan(live_sandbox: Any) -> Client:
    """The seeded demo fan, logged in through the French password page."""
    client = french_client()
    page = client.get(reverse("tbits_accounts:password")).content.decode()
    assert "Connexion avec un mot de passe" in page
    response = client.post(
        reverse("tbits_accounts:password"),
        {"contact": live_sandbox.fan_email, "password": live_sandbox.fan_password},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


@pytest.mark.parametrize("page", PORTAL_PAGES)
def test_portal_pages_are_entirely_french(french_fan: Client, live_sandbox: Any, page: str) -> None:
    response = french_fan.get(reverse(f"tbits_loyalty:{page}"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Quêtes" in html and "Récompenses" in html and "Classement" in html  # the menu
    left = untranslated(html, data=live_sandbox)
    assert not left, left


def test_quest_board_sentences_built_in_python_are_french(french_fan: Client) -> None:
    html = french_fan.get(reverse("tbits_loyalty:quests")).content.decode()
    text = " ".join(visible_text(html))
    # Built by loyalty.wording with French quotation marks around the seed's English title.
    assert "Accomplissez d\u2019abord «\u00a0Visit the club shop\u00a0»" in text
    assert "Verrouillées" in text  # the section heading (plural)
    assert "Verrouillée" in text.replace("Verrouillées", "")  # the card's badge (singular)


def test_profile_page_is_french(french_fan: Client) -> None:
    html = french_fan.get(reverse("tbits_accounts:profile")).content.decode()
    assert "Votre profil" in html and "Nom affiché" in html
    assert not untranslated(html), untranslated(html)


def test_profile_asking_to_log_in_again_is_french(french_fan: Client) -> None:
    """The password section of a login older than the window (15 minutes by default)."""
    from tests.accounts.conftest import age_login

    age_login(french_fan, 3600)
    html = french_fan.get(reverse("tbits_accounts:profile")).content.decode()
    assert "dans les 15 minutes qui suivent votre connexion" in html
    assert "Se reconnecter" in html
    assert not untranslated(html), untranslated(html)
