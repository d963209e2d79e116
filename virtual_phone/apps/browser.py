"""Browser (`com.example.browser`): an address bar and a WebView whose text is only drawn."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..ui.views import ImageButton, Row, View, WebView
from .base import Activity, App
from .web_pages import HOME_URL, normalize, page_for
from .widgets import TOOLBAR_HEIGHT, screen, text_field

PACKAGE = "com.example.browser"


class BrowserApp(App):
    """A browser; state {"url", "history", "bookmarks"}; `public_state()` adds the page
    {"title", "text"}. Pages come from `web_pages.page_for(url, seed)` with the app's seed."""

    package = PACKAGE
    label = "Browser"
    main_activity = PACKAGE + ".MainActivity"
    system = False
    icon = "globe"
    icon_bg = "#d2462d"

    def initial_state(self, seed: int) -> dict[str, Any]:
        return {"url": HOME_URL, "history": [HOME_URL], "bookmarks": []}

    def activities(self) -> dict[str, Callable[[], Activity]]:
        return {self.main_activity: lambda: BrowserActivity(self)}

    def navigate(self, address: str) -> None:
        """Load a typed address, search terms or URL."""
        url = normalize(address)
        self.state["url"] = url
        self.state["history"].append(url)

    def go_back(self) -> bool:
        """Previous page in the history; False at the first page."""
        history = self.state["history"]
        if len(history) < 2:
            return False
        history.pop()
        self.state["url"] = history[-1]
        return True

    def public_state(self) -> dict[str, Any]:
        data = super().public_state()
        page = page_for(self.state["url"], self.seed)
        data["page"] = {"title": page.title, "text": page.text()}
        return data


class BrowserActivity(Activity[BrowserApp]):
    """The browser window."""

    name = PACKAGE + ".MainActivity"

    def __init__(self, app: BrowserApp) -> None:
        super().__init__(app)
        self.browser = app
        self.draft: str | None = None  # the address being typed (None: showing the URL)

    def title(self) -> str:
        return page_for(str(self.browser.state["url"]), self.browser.seed).title

    def build(self) -> View:
        url = str(self.browser.state["url"])
        field = text_field(
            self,
            "url_bar",
            url if self.draft is None else self.draft,
            "Search or type web address",
            self._edit,
            on_submit=self._go,
            weight=1,
            margin=(24, 26, 0, 26),
        )
        field.size = 40
        bar = Row(
            id=self.rid("toolbar"),
            class_name="android.view.ViewGroup",
            height=TOOLBAR_HEIGHT,
            bg="toolbar",
            children=[
                field,
                ImageButton(
                    id=self.rid("reload"),
                    icon="refresh",
                    desc="Reload",
                    width=130,
                    height=TOOLBAR_HEIGHT,
                    icon_size=56,
                    on_click=lambda: self.host.toast("Page reloaded"),
                ),
            ],
        )
        page = page_for(url, self.browser.seed)
        web = WebView(
            weight=1,
            bg="web",
            padding=(48, 0),
            state=self.scroll(url),
            blocks=list(page.blocks),
            on_link=self._follow,
        )
        return screen(bar, web)

    def _edit(self, text: str) -> None:
        url = str(self.browser.state["url"])
        if self.draft is None:
            text = (
                text[len(url) :] if text.startswith(url) else ("" if url.startswith(text) else text)
            )
        self.draft = text

    def _go(self) -> None:
        if self.draft:
            self.browser.navigate(self.draft)
        self.draft = None
        self.focus = None
        self.host.hide_keyboard()

    def _follow(self, url: str) -> None:
        self.draft = None
        self.browser.navigate(url)
        self.scroll(url).y = 0

    def on_back(self) -> bool:
        if self.draft is not None:
            self.draft = None
            self.focus = None
            return True
        return self.browser.go_back()
