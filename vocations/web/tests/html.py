"""A tiny HTML reader for page-structure assertions (stdlib only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


@dataclass
class _Open:
    element: Element
    parts: list[str] = field(default_factory=list)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._stack: list[_Open] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in VOID:
            self._stack.append(_Open(element))

    def handle_endtag(self, tag):
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i].element.tag == tag:
                opened = self._stack.pop(i)
                opened.element.text = " ".join("".join(opened.parts).split())
                # Text of a closed element also belongs to its parents.
                if self._stack:
                    self._stack[-1].parts.append("".join(opened.parts))
                return

    def handle_data(self, data):
        if self._stack:
            self._stack[-1].parts.append(data)


def parse(html: str) -> list[Element]:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.elements


def find_all(html: str, tag: str, **attrs: str) -> list[Element]:
    return [
        e
        for e in parse(html)
        if e.tag == tag and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
    ]
