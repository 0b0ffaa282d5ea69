"""The portal's pages take the site's layout from two settings, and ``check`` guards them.

Issue 18: a host whose base template's main block is not ``content`` got portal pages
without their navigation, and no error. ``TBITS["LAYOUT_BLOCKS"]`` names the host's blocks;
a block the layout does not show is ``tbits_accounts.E015`` (``W006`` for the title and
scripts), not a silently emptier page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.template import engines
from django.template.autoreload import reset_loaders
from django.template.loader import render_to_string

from accounts import checks_layout
from accounts.layout import bridge_source

#: A site's layout whose main block is ``body`` and whose head block is ``extra_head``.
BODY_LAYOUT = """<!doctype html><html><head><title>{% block title %}Club{% endblock %}</title>
<link rel="stylesheet" href="/static/club.css">{% block extra_head %}{% endblock %}</head>
<body><header id="club-header">Harbour City Club</header>
<main>{% block body %}{% endblock %}</main>
<footer id="club-footer">Est. 1887</footer></body></html>"""

#: A portal page: the accounts' shell with a page and a navigation of its own.
PAGE = (
    '{% extends "tbits_accounts/shell.html" %}{% block tbits_page_title %}Quests{% endblock %}'
    '{% block tbits_content %}<p id="the-page">The page</p>{% endblock %}'
    '{% block tbits_scripts %}<script src="/static/portal.js"></script>{% endblock %}'
)


@pytest.fixture
def site(settings: Any, tmp_path: Path) -> Path:
    """A site whose templates folder (``tmp_path``) comes before the apps'."""
    (tmp_path / "base.html").write_text(BODY_LAYOUT)
    (tmp_path / "page.html").write_text(PAGE)
    (tmp_path / "nav.html").write_text('<nav id="portal-nav">Quests · Rewards</nav>')
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [tmp_path],
            "APP_DIRS": True,
            "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
        }
    ]
    return tmp_path


def render_page() -> str:
    return render_to_string("page.html", {"tbits_nav_template": "nav.html"})


def ids(messages: list[Any]) -> list[str]:
    return [message.id for message in messages]


def test_a_layout_whose_main_block_is_body_takes_the_portal_by_one_setting(
    settings: Any, site: Path
) -> None:
    settings.TBITS = {
        **settings.TBITS,
        "LAYOUT_BLOCKS": {"head": "extra_head", "body": "body", "scripts": None},
    }
    assert checks_layout.check_layout() == []
    html = render_page()
    # The host's header and footer, and the portal's header, navigation and page inside.
    assert html.index('id="club-header"') < html.index('class="tb-portal"')
    assert html.index('id="portal-nav"') < html.index('id="the-page"')
    assert html.index('id="the-page"') < html.index('id="club-footer"')
    # The stylesheets in the host's head block, the script at the end of the page's block.
    head = html[: html.index("</head>")]
    assert "tbits_accounts/accounts.css" in head
    assert html.index('id="the-page"') < html.index("portal.js") < html.index("</main>")
    assert "<title>Quests · " in html


def test_the_wrong_main_block_is_an_error_naming_it_and_the_layouts_blocks(
    settings: Any, site: Path
) -> None:
    # The defaults name "content" and "head", which this layout does not have.
    (error_body, error_head, warning_scripts) = checks_layout.check_layout()
    assert error_body.id == "tbits_accounts.E015"
    assert "header, navigation and content" in error_body.msg
    assert "'content'" in error_body.msg and "'base.html'" in error_body.msg
    assert "body, extra_head, title" in error_body.hint
    assert "{'body': 'body'}" in error_body.hint
    assert error_head.id == "tbits_accounts.E015" and "stylesheets" in error_head.msg
    assert warning_scripts.id == "tbits_accounts.W006" and "script" in warning_scripts.msg


def test_missing_parts_go_inside_the_main_block_when_the_layout_has_no_block_for_them(
    settings: Any, site: Path
) -> None:
    settings.TBITS = {**settings.TBITS, "LAYOUT_BLOCKS": {"head": None, "body": "body"}}
    settings.TBITS["LAYOUT_BLOCKS"]["scripts"] = None
    assert ids(checks_layout.check_layout()) == []
    html = render_page()
    main = html[html.index("<main>") : html.index("</main>")]
    assert main.index("accounts.css") < main.index('class="tb-portal"')
    assert main.index('id="the-page"') < main.index("portal.js")


def test_another_base_template_is_named_by_layout_template(settings: Any, site: Path) -> None:
    (site / "base.html").unlink()
    (site / "layouts").mkdir()
    (site / "layouts" / "club.html").write_text(BODY_LAYOUT)
    settings.TBITS = {
        **settings.TBITS,
        "LAYOUT_BLOCKS": {"head": "extra_head", "body": "body", "scripts": None},
    }
    (error,) = checks_layout.check_layout()
    assert error.id == "tbits_accounts.E014" and "'base.html'" in error.msg
    settings.TBITS["LAYOUT_TEMPLATE"] = "layouts/club.html"
    assert checks_layout.check_layout() == []
    assert 'id="portal-nav"' in render_page()


def test_an_own_override_that_drops_the_portals_body_is_an_error(settings: Any, site: Path) -> None:
    """The override of issue 18: tbits_content placed where tbits_body belongs."""
    (site / "tbits_accounts").mkdir()
    (site / "tbits_accounts" / "base.html").write_text(
        '{% extends "base.html" %}'
        "{% block title %}{% block tbits_title %}{% endblock %}{% endblock %}"
        "{% block extra_head %}{% block tbits_head %}{% endblock %}{% endblock %}"
        "{% block body %}{% block tbits_content %}{% endblock %}"
        "{% block tbits_scripts %}{% endblock %}{% endblock %}"
    )
    (error,) = checks_layout.check_layout()
    assert error.id == "tbits_accounts.E015"
    assert "your own tbits_accounts/base.html" in error.msg and "tbits_body" in error.msg
    # The test project's override (tbits_page_title with its own suffix) is whole.
    override = Path(__file__).resolve().parents[1] / "hostsite" / "templates" / "tbits_accounts"
    (site / "tbits_accounts" / "base.html").write_text((override / "base.html").read_text())
    reset_loaders()  # the cached loader still holds the file as it was
    assert checks_layout.check_layout() == []


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ({"body": "my content"}, "one word"),
        ({"main": "content"}, "unknown keys 'main'"),
        ({"body": None}, "must name a block"),
        ({"head": "tbits_head"}, "the portal's own"),
        ("content", "must be a dict"),
    ],
)
def test_a_layout_setting_that_cannot_work_is_e014(settings: Any, value: Any, words: str) -> None:
    settings.TBITS = {**settings.TBITS, "LAYOUT_BLOCKS": value}
    (error,) = checks_layout.check_layout()
    assert error.id == "tbits_accounts.E014" and words in error.msg


def test_the_bridge_puts_two_parts_named_for_one_block_in_that_block() -> None:
    source = bridge_source(
        "base.html", {"title": "title", "head": "extra", "body": "content", "scripts": "extra"}
    )
    assert source.count("{% block extra %}") == 1
    assert "{% block extra %}{% block tbits_head %}{% endblock %}{% block tbits_scripts %}" in (
        source
    )


def test_the_demo_layout_passes(settings: Any) -> None:
    assert checks_layout.check_layout() == []
    assert engines["django"].engine.get_template("tbits_accounts/base.html")
