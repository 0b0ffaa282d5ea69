"""No template shows a word that is not inside a translation tag."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.i18n.catalogues import ROOT

TEMPLATE_DIRS = (
    ROOT / "accounts" / "templates",
    ROOT / "loyalty" / "templates",
    ROOT / "templates",
)
TEMPLATES = sorted(path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html"))
# What a fan reads or hears besides text: these attributes need translating too.
SPOKEN = ("alt", "title", "placeholder", "aria-label", "aria-description", "data-copied")

_NOT_SHOWN = re.compile(
    r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}"
    r"|{#.*?#}"
    r"|{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}"
    r"|{%.*?%}"
    r"|{{.*?}}",
    re.S,
)
_WORD = re.compile(r"[^\W\d_]{2,}")  # two letters or more, in any alphabet


class _Words(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        named = dict(attrs)
        shown = [name for name in SPOKEN if name in named]
        # An input's value is its label only on buttons; elsewhere it is data.
        if tag == "input" and named.get("type") in ("submit", "button", "reset"):
            shown.append("value")
        self.found += [
            f"{name}={named[name]!r}" for name in shown if _WORD.search(named[name] or "")
        ]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.found.append(data)


def words_outside_translation(source: str) -> list[str]:
    """Pieces of a template's text that would reach a fan untranslated."""
    parser = _Words()
    parser.feed(_NOT_SHOWN.sub(" ", source))
    parser.close()
    return [piece.strip() for piece in parser.found if _WORD.search(piece)]


def test_the_check_sees_words_and_ignores_tags() -> None:
    assert words_outside_translation("<p>Hello {{ name }}</p>") == ["Hello"]
    assert words_outside_translation('<img alt="Logo" src="x">') == ["alt='Logo'"]
    assert words_outside_translation('<input type="submit" value="Send">') == ["value='Send'"]
    assert words_outside_translation('<input type="hidden" name="action" value="add">') == []
    clean = (
        '{% load i18n %}<p title="{% translate "Hi" %}">{% translate "Hello" %} '
        "{% blocktranslate %}Dear {{ name }}{% endblocktranslate %}"
        "{# a note #}{% comment %}Notes{% endcomment %}<script>let x = 1;</script>"
        "{{ value|date:'c' }} ✓ · 12% +</p>"
    )
    assert words_outside_translation(clean) == []


@pytest.mark.parametrize("path", TEMPLATES, ids=[str(path.relative_to(ROOT)) for path in TEMPLATES])
def test_template_text_is_all_inside_translation_tags(path: Path) -> None:
    assert not words_outside_translation(path.read_text(encoding="utf-8"))


def test_every_template_folder_was_searched() -> None:
    for folder in TEMPLATE_DIRS:
        assert any(path.is_relative_to(folder) for path in TEMPLATES), folder
