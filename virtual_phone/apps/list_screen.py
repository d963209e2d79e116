"""The searchable list screen of Contacts and Notes: a toolbar, a search field, the matching
rows (or an empty-state message) in a scrolling list and a floating add button."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..ui.views import RecyclerView, TextView, View
from .base import Activity, App
from .widgets import fab, screen, text_field, toolbar

Item = TypeVar("Item")

SEARCH_FIELD = "search"  # the search EditText's id name and focus key
EMPTY_ID = "empty"  # id name of the empty-state message


@dataclass(frozen=True)
class ListTexts:
    """What a list screen says."""

    title: str
    search_hint: str
    empty: str  # shown when nothing is stored
    no_match: str  # shown when nothing matches the query
    add: str  # the add button's content description


@dataclass(frozen=True)
class ListSpec(Generic[Item]):
    """What one list screen shows and does.

    `list_id` is the id name of the scrolling list; `items()` gives the stored items in
    display order; `matches(item, query)` tests one against the stripped, case-folded
    query; `row(activity, item)` builds its row; `on_add(activity)` runs when the add
    button is tapped.
    """

    texts: ListTexts
    list_id: str
    items: Callable[[], Sequence[Item]]
    matches: Callable[[Item, str], bool]
    row: Callable[[Activity, Item], View]
    on_add: Callable[[Activity], None]
    list_padding: tuple[int, int] = (0, 0)


class SearchableListActivity(Activity, Generic[Item]):
    """A list screen configured by a `ListSpec`. Typing filters at once; BACK first clears
    the query, then leaves the screen."""

    def __init__(self, app: App, name: str, spec: ListSpec[Item]) -> None:
        super().__init__(app)
        self.name = name
        self.spec = spec
        self.query = ""

    def shown(self) -> list[Item]:
        """The items that match the query (all of them without one)."""
        query = self.query.strip().casefold()
        return [item for item in self.spec.items() if not query or self.spec.matches(item, query)]

    def build(self) -> View:
        spec, texts = self.spec, self.spec.texts
        rows = [spec.row(self, item) for item in self.shown()] or [self._empty_state()]
        search = text_field(
            self,
            SEARCH_FIELD,
            self.query,
            texts.search_hint,
            self.set_query,
            on_submit=self.host.hide_keyboard,
        )
        listing = RecyclerView(
            id=self.rid(spec.list_id),
            weight=1,
            state=self.scroll("list"),
            padding=spec.list_padding,
            children=rows,
        )
        add = fab(self, "add", texts.add, lambda: spec.on_add(self))
        return screen(toolbar(self, texts.title), search, listing, overlay=[add])

    def _empty_state(self) -> View:
        return TextView(
            id=self.rid(EMPTY_ID),
            text=self.spec.texts.no_match if self.query.strip() else self.spec.texts.empty,
            size=44,
            color="muted",
            align="center",
            padding=(0, 120),
        )

    def set_query(self, text: str) -> None:
        """Filter by `text` (the list scrolls back to its top)."""
        self.query = text
        self.scroll("list").y = 0

    def on_back(self) -> bool:
        """BACK clears a query (and the search field's focus); True when it did."""
        if not self.query:
            return False
        self.query = ""
        self.focus = None
        return True
