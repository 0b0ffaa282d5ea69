"""The project's gettext catalogues, read without gettext tools or third-party packages.

A fresh clone has the compiled ``.mo`` files but maybe no ``msgfmt``; the tests must still
be able to say whether a catalogue is complete and whether its ``.mo`` matches its ``.po``.

To update the catalogues after changing a translatable string (gettext tools needed)::

    export DEBUG=1 TBITS_SANDBOX=1
    (cd accounts && ../.venv/bin/python ../manage.py makemessages -l fr -l en --no-obsolete)
    (cd loyalty && ../.venv/bin/python ../manage.py makemessages -l fr -l en --no-obsolete)
    .venv/bin/python manage.py makemessages -l fr -l en --no-obsolete --ignore=.venv \
        --ignore=accounts --ignore=loyalty --ignore=tbits_sandbox --ignore=tbits_client \
        --ignore=tests --ignore=benchmarks --ignore=loadtest --ignore=build --ignore=docs \
        --ignore=examples --ignore=artifacts --ignore=staticfiles --ignore='*.egg-info'
    # translate: English msgstr = msgid; French in the fr files; then
    .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=build

Each app's catalogue must be made from inside the app's folder, or makemessages writes
its strings into the first of ``LOCALE_PATHS`` (the demo site's catalogue).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("en", "fr")
# Where each catalogue lives: the two apps ship their own, the demo site's is in LOCALE_PATHS.
LOCALE_DIRS = (
    ROOT / "accounts" / "locale",
    ROOT / "loyalty" / "locale",
    ROOT / "tbits_portal" / "locale",
)
# What each catalogue translates (the site's catalogue leaves the apps' strings to them).
SOURCES = {
    ROOT / "accounts" / "locale": (ROOT / "accounts",),
    ROOT / "loyalty" / "locale": (ROOT / "loyalty",),
    ROOT / "tbits_portal" / "locale": (
        ROOT / "templates",
        ROOT / "tbits_portal",
        ROOT / "manage.py",
    ),
}
# The plural rule each language must declare (the one Django's own catalogues use).
PLURAL_FORMS = {
    "en": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
}

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}
_ESCAPE = re.compile(r"\\(.)")
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")
_CONTINUATION = re.compile(r'^(".*")\s*$')


@dataclass(frozen=True)
class PoEntry:
    """One message of a ``.po`` file."""

    msgid: str
    msgid_plural: str | None
    msgstr: tuple[str, ...]
    msgctxt: str | None
    flags: frozenset[str]
    obsolete: bool
    line: int

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def key(self) -> str:
        """The message's key in a compiled catalogue (context and id joined by EOT)."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


@dataclass(frozen=True)
class PoFile:
    """A parsed ``.po`` file: its header fields and its messages (header excluded)."""

    path: Path
    language: str
    header: dict[str, str]
    entries: tuple[PoEntry, ...]
    header_flags: frozenset[str]


def catalogue_paths() -> list[Path]:
    """Every ``django.po`` the project ships, one per app (or site) and language."""
    return [
        directory / language / "LC_MESSAGES" / "django.po"
        for directory in LOCALE_DIRS
        for language in LANGUAGES
    ]


def _unquote(literal: str) -> str:
    # A PO string is a C string literal: only backslash escapes need decoding.
    return _ESCAPE.sub(lambda match: _ESCAPES.get(match.group(1), match.group(0)), literal[1:-1])


def read_po(path: Path) -> PoFile:
    """Parse a ``.po`` file; raise ``ValueError`` on a line it cannot read."""
    entries: list[PoEntry] = []
    fields: dict[str, str] = {}
    forms: dict[int, str] = {}
    flags: set[str] = set()
    obsolete = False
    current: str | None = None  # the keyword a continuation line extends
    start: int | None = None

    def finish() -> None:
        nonlocal fields, forms, flags, obsolete, current, start
        if "msgid" in fields:
            msgstr = tuple(forms[i] for i in sorted(forms)) if forms else (fields["msgstr"],)
            entries.append(
                PoEntry(
                    msgid=fields["msgid"],
                    msgid_plural=fields.get("msgid_plural"),
                    msgstr=msgstr,
                    msgctxt=fields.get("msgctxt"),
                    flags=frozenset(flags),
                    obsolete=obsolete,
                    line=start or 0,
                )
            )
        fields, forms, flags, obsolete, current, start = {}, {}, set(), False, None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        # A comment or a new msgctxt/msgid after a msgstr begins the next message.
        if (fields.get("msgstr") is not None or forms) and (
            (line.startswith("#") and not line.startswith("#~"))
            or line.startswith(("msgctxt ", "msgid "))
        ):
            finish()
        if start is None:
            start = number
        if line.startswith("#~"):
            obsolete = True
            line = line[2:].strip()
        elif line.startswith("#"):
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        keyword = _KEYWORD.match(line)
        if keyword:
            name, index, literal = keyword.groups()
            current = name
            if index is not None:
                forms[int(index)] = _unquote(literal)
            else:
                fields[name] = _unquote(literal)
            continue
        continuation = _CONTINUATION.match(line)
        if continuation and current is not None:
            if current.startswith("msgstr["):
                forms[int(current[7:-1])] += _unquote(continuation.group(1))
            else:
                fields[current] += _unquote(continuation.group(1))
            continue
        raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    finish()

    header_entry = next((entry for entry in entries if entry.is_header), None)
    header: dict[str, str] = {}
    if header_entry is not None:
        for header_line in header_entry.msgstr[0].splitlines():
            name, _, value = header_line.partition(":")
            header[name.strip()] = value.strip()
    return PoFile(
        path=path,
        language=path.parents[1].name,
        header=header,
        entries=tuple(entry for entry in entries if not entry.is_header),
        header_flags=header_entry.flags if header_entry is not None else frozenset(),
    )


# %(name)s, %s, %d, %.2f ... and the literal %% (which is not a placeholder).
_PERCENT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(.)")
_BRACE = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)?(?:[.!:][^{}]*)?\}(?!\})")


def percent_placeholders(text: str) -> list[str]:
    """The printf-style placeholders of a python-format string, in order (``%%`` excluded)."""
    found = []
    for match in _PERCENT.finditer(text):
        conversion = match.group(2)
        if conversion == "%" and match.group("name") is None:
            continue
        found.append(match.group(0))
    return found


def stray_percent(text: str) -> bool:
    """Whether a python-format string has a ``%`` that is no valid conversion (would raise)."""
    remainder = _PERCENT.sub(
        lambda match: "" if match.group(2) in "sdifFeEgGxXorac%" else match.group(0), text
    )
    return "%" in remainder


def brace_placeholders(text: str) -> list[str]:
    """The ``{name}`` placeholders of a python-brace-format string, sorted."""
    return sorted(match.group(0) for match in _BRACE.finditer(text))


# --- what the source asks to translate ------------------------------------------------
# The keywords makemessages gives xgettext, with the position of the context argument.
_PY_KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": None,
    "ngettext_lazy": None,
    "pgettext": 0,
    "pgettext_lazy": 0,
    "npgettext": 0,
    "npgettext_lazy": 0,
}
# templatize() writes u'...', or u"..." when the text has an apostrophe.
_TEMPLATE_STRING = re.compile(r"""u(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")
_TEMPLATE_CALL = re.compile(
    r"\b(gettext|ngettext|pgettext|npgettext)\(((?:"
    + _TEMPLATE_STRING.pattern
    + r"(?:, )?)+)(?:count)?\)"
)
# _("...") in a filter argument is left as written in the template.
_TEMPLATE_UNDERSCORE = re.compile(r"""\b_\(("[^"]*"|'[^']*')\)""")


def _python_messages(path: Path) -> set[tuple[str | None, str]]:
    found: set[tuple[str | None, str]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in _PY_KEYWORDS:
            continue
        context_at = _PY_KEYWORDS[name]
        strings = [arg.value if isinstance(arg, ast.Constant) else None for arg in node.args]
        msgid_at = 0 if context_at is None else 1
        if len(strings) <= msgid_at or not isinstance(strings[msgid_at], str):
            continue  # not a literal: xgettext cannot see it either
        context = strings[context_at] if context_at is not None else None
        found.add((context, strings[msgid_at]))
    return found


def _template_messages(path: Path) -> set[tuple[str | None, str]]:
    from django.utils.translation.template import templatize

    found: set[tuple[str | None, str]] = set()
    source = templatize(path.read_text(encoding="utf-8"))
    for match in _TEMPLATE_CALL.finditer(source):
        strings = [ast.literal_eval(text) for text in _TEMPLATE_STRING.findall(match.group(2))]
        if match.group(1).startswith(("pgettext", "npgettext")):
            found.add((strings[0], strings[1]))
        else:
            found.add((None, strings[0]))
    for match in _TEMPLATE_UNDERSCORE.finditer(source):
        found.add((None, match.group(1)[1:-1]))
    return found


def source_messages(*roots: Path) -> set[tuple[str | None, str]]:
    """(context, msgid) of every literal the code and templates under ``roots`` translate.

    The same files ``makemessages`` reads: ``.py``, ``.html`` and ``.txt``.
    """
    found: set[tuple[str | None, str]] = set()
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            if {"locale", "__pycache__"} & set(path.parts):
                continue
            if path.suffix == ".py":
                found |= _python_messages(path)
            elif path.suffix in (".html", ".txt"):
                found |= _template_messages(path)
    return found
