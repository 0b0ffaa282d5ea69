"""A page's markup as the browser would build it: elements and their attributes.

Checks on raw text mistake escaped text for markup and miss markup split across lines;
parsing answers the question that matters: which elements and attributes exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Attributes holding a URL the browser loads or follows.
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "srcset", "data")


@dataclass(frozen=True)
class Element:
    tag: str
    attrs: dict[str, str]


@dataclass
class Markup:
    """Every start tag of a page, and its text."""

    elements: list[Element] = field(default_factory=list)
    text: str = ""

    @classmethod
    def parse(cls, html: str) -> Markup:
        parser = _Parser()
        parser.feed(html)
        parser.close()
        return cls(elements=parser.elements, text="".join(parser.texts))

    def tags(self, name: str) -> list[Element]:
        return [element for element in self.elements if element.tag == name]

    def event_handlers(self) -> list[tuple[str, str]]:
        """``(tag, attribute)`` of every ``on…=`` attribute: none may exist."""
        return [
            (element.tag, name)
            for element in self.elements
            for name in element.attrs
            if name.startswith("on")
        ]

    def urls(self) -> list[tuple[str, str, str]]:
        """``(tag, attribute, value)`` of every URL the page loads or links to."""
        return [
            (element.tag, name, value.strip())
            for element in self.elements
            for name, value in element.attrs.items()
            if name in URL_ATTRIBUTES
        ]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
