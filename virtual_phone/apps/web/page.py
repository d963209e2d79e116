"""A web page (title and blocks) and the block shorthands the sites are written with."""

from __future__ import annotations

from dataclasses import dataclass

from ...ui.views import WebBlock


@dataclass(frozen=True)
class Page:
    """A web page: its title and content blocks."""

    title: str
    blocks: tuple[WebBlock, ...]

    def text(self) -> str:
        """All text of the page, one block per line."""
        return "\n".join(b.text for b in self.blocks)


def h1(text: str) -> WebBlock:
    """A page heading."""
    return WebBlock(text, "h1")


def h2(text: str) -> WebBlock:
    """A section heading."""
    return WebBlock(text, "h2")


def p(text: str) -> WebBlock:
    """A paragraph."""
    return WebBlock(text, "p")


def small(text: str) -> WebBlock:
    """Fine print."""
    return WebBlock(text, "small")


def link(text: str, href: str) -> WebBlock:
    """A link."""
    return WebBlock(text, "link", href)


def pounds(value: float) -> str:
    """A price in pounds: "£12.50"."""
    return f"£{value:,.2f}"


def dollars(value: float) -> str:
    """A price in dollars: "$12.50"."""
    return f"${value:,.2f}"
