"""Every English and French catalogue is complete, well-formed and compiled."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest

from tests.i18n.catalogues import (
    PLURAL_FORMS,
    SOURCES,
    PoEntry,
    PoFile,
    brace_placeholders,
    catalogue_paths,
    percent_placeholders,
    read_po,
    source_messages,
    stray_percent,
)

PATHS = catalogue_paths()


def _name(path: Path) -> str:
    return "/".join(path.parts[-5:-2])  # e.g. loyalty/locale/fr


@pytest.fixture(params=PATHS, ids=[_name(path) for path in PATHS])
def catalogue(request: pytest.FixtureRequest) -> PoFile:
    return read_po(request.param)


def _where(catalogue: PoFile, entry: PoEntry) -> str:
    return f"{catalogue.path.name}:{entry.line} {entry.msgid!r}"


def test_every_catalogue_exists_for_both_languages() -> None:
    missing = [str(path) for path in PATHS if not path.is_file()]
    assert not missing
    assert {path.parents[1].name for path in PATHS} == {"en", "fr"}


def test_header_names_the_language_and_its_plural_rule(catalogue: PoFile) -> None:
    assert catalogue.header.get("Language") == catalogue.language
    assert catalogue.header.get("Plural-Forms") == PLURAL_FORMS[catalogue.language]
    assert "charset=UTF-8" in catalogue.header.get("Content-Type", "")
    assert "fuzzy" not in catalogue.header_flags


def test_every_message_is_translated_and_none_is_fuzzy(catalogue: PoFile) -> None:
    assert catalogue.entries, "an empty catalogue: was makemessages run in the wrong folder?"
    problems = []
    for entry in catalogue.entries:
        if entry.obsolete:
            problems.append(f"obsolete: {_where(catalogue, entry)}")
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {_where(catalogue, entry)}")
        if not all(text.strip() for text in entry.msgstr):
            problems.append(f"untranslated: {_where(catalogue, entry)}")
        if entry.msgid_plural is not None and len(entry.msgstr) != 2:
            problems.append(f"needs 2 plural forms: {_where(catalogue, entry)}")
    assert not problems, "\n".join(problems)


def test_english_catalogues_keep_the_source_text() -> None:
    # The English catalogue is the source text itself; a difference is an edit made in
    # the wrong place (it would hide the source from French translators).
    for path in PATHS:
        if path.parents[1].name != "en":
            continue
        for entry in read_po(path).entries:
            expected = (
                (entry.msgid,)
                if entry.msgid_plural is None
                else (
                    entry.msgid,
                    entry.msgid_plural,
                )
            )
            assert entry.msgstr == expected, f"{path}:{entry.line}"


def test_placeholders_match_between_source_and_translation(catalogue: PoFile) -> None:
    problems = []
    for entry in catalogue.entries:
        where = _where(catalogue, entry)
        if "python-format" in entry.flags:
            singular = sorted(percent_placeholders(entry.msgid))
            if entry.msgid_plural is None:
                if sorted(percent_placeholders(entry.msgstr[0])) != singular:
                    problems.append(f"placeholders differ: {where}")
            else:
                plural = sorted(percent_placeholders(entry.msgid_plural))
                # Form 0 is "one" (French: 0 and 1): it may name the count the English
                # singular spells out ("a minute"), but nothing the source does not have.
                first = set(percent_placeholders(entry.msgstr[0]))
                if not set(singular) <= first <= set(plural) | set(singular):
                    problems.append(f"placeholders differ in form 0: {where}")
                if sorted(percent_placeholders(entry.msgstr[1])) != plural:
                    problems.append(f"placeholders differ in form 1: {where}")
            for text in entry.msgstr:
                if stray_percent(text):
                    problems.append(f"a lone % would break formatting: {where}")
        elif "python-brace-format" in entry.flags:
            sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
            expected = brace_placeholders(sources[-1])
            for text in entry.msgstr[1:] or entry.msgstr:
                if brace_placeholders(text) != expected:
                    problems.append(f"placeholders differ: {where}")
        else:
            # Not a format string now, but {% blocktranslate %} formats even a message
            # without variables: a % the source does not have could raise at render.
            for text in entry.msgstr:
                if "%" in text and "%" not in entry.msgid:
                    problems.append(f"a % the source does not have: {where}")
    assert not problems, "\n".join(problems)


def test_compiled_catalogue_matches_its_source(catalogue: PoFile) -> None:
    """The committed .mo says exactly what the .po says (compiled after the last edit)."""
    compiled_path = catalogue.path.with_suffix(".mo")
    assert compiled_path.is_file(), f"{compiled_path} is missing: run compilemessages"
    with compiled_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    # _catalog is private but the only complete view of a .mo, and stable since Python 2.
    messages = dict(compiled._catalog)
    messages.pop("", None)  # the header
    expected: dict[object, str] = {}
    for entry in catalogue.entries:
        if entry.msgid_plural is None:
            expected[entry.key] = entry.msgstr[0]
        else:
            for index, text in enumerate(entry.msgstr):
                expected[(entry.key, index)] = text
    stale = sorted(
        str(key)
        for key in expected.keys() | messages.keys()
        if expected.get(key) != messages.get(key)
    )
    assert not stale, f"{compiled_path} is out of date (run compilemessages): {stale[:10]}"
    assert compiled.plural(1) == 0 and compiled.plural(2) == 1
    assert compiled.plural(0) == (0 if catalogue.language == "fr" else 1)


@pytest.mark.parametrize("locale_dir", list(SOURCES), ids=[path.parent.name for path in SOURCES])
def test_catalogues_hold_exactly_what_the_source_translates(locale_dir: Path) -> None:
    """A string added or changed since the last makemessages would show in English."""
    wanted = source_messages(*SOURCES[locale_dir])
    assert wanted, "nothing found to translate: is the extraction looking in the right place?"
    for language in ("en", "fr"):
        catalogue = read_po(locale_dir / language / "LC_MESSAGES" / "django.po")
        held = {(entry.msgctxt, entry.msgid) for entry in catalogue.entries}
        how = "run makemessages, see tests/i18n/catalogues.py"
        assert not wanted - held, f"{how}; not in {language}: {sorted(wanted - held, key=str)}"
        assert not held - wanted, f"{how}; gone from the source: {sorted(held - wanted, key=str)}"
