"""The offline web the browser can show: a few sites, a search page and an error page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, quote_plus, urlsplit

from ..ui.views import WebBlock

HOME_URL = "https://news.example.com/"
SEARCH_URL = "https://search.example.com/?q="


@dataclass(frozen=True)
class Page:
    """A web page: its title and content blocks."""

    title: str
    blocks: tuple[WebBlock, ...]

    def text(self) -> str:
        """All text of the page, one block per line."""
        return "\n".join(b.text for b in self.blocks)


def _p(text: str) -> WebBlock:
    return WebBlock(text, "p")


ARTICLES = {
    "1": (
        "City library extends opening hours",
        [
            "From next Monday the central library will open from 8 am to 10 pm on weekdays.",
            "The change follows a survey in which 4,200 residents asked for evening study space.",
            "Weekend hours stay the same: 10 am to 6 pm on Saturdays and Sundays.",
        ],
    ),
    "2": (
        "Local team wins regional final 3-1",
        [
            "The Riverside Rovers beat Hillcrest United 3-1 on Saturday in front of 12,000 fans.",
            "Striker Maya Okafor scored twice in the second half.",
            "The team will play the national semi-final on 14 March.",
        ],
    ),
    "3": (
        "New tram line opens to the airport",
        [
            "Line T7 connects the central station with the airport in 24 minutes.",
            "Trams run every 8 minutes from 5:30 am until midnight. "
            "A single ticket costs 3.40 euros.",
        ],
    ),
}


def _news() -> Page:
    blocks = [WebBlock("Daily Example News", "h1"), WebBlock("Saturday edition", "small")]
    for key, (title, body) in ARTICLES.items():
        blocks.append(WebBlock(title, "link", f"https://news.example.com/articles/{key}"))
        blocks.append(_p(body[0]))
    blocks += [
        WebBlock("Weather", "h2"),
        WebBlock("Today's forecast", "link", "https://weather.example.com/"),
        WebBlock("Recipes", "h2"),
        WebBlock("Fluffy pancakes in 20 minutes", "link", "https://recipes.example.com/pancakes"),
        WebBlock("© 2024 Daily Example News. All rights reserved.", "small"),
    ]
    return Page("Daily Example News", tuple(blocks))


def _article(key: str) -> Page | None:
    if key not in ARTICLES:
        return None
    title, body = ARTICLES[key]
    blocks = [
        WebBlock(title, "h1"),
        WebBlock("By the newsroom", "small"),
        *(_p(t) for t in body),
        WebBlock("Back to the front page", "link", HOME_URL),
    ]
    return Page(title, tuple(blocks))


STATIC = {
    "www.example.com": Page(
        "Example Domain",
        (
            WebBlock("Example Domain", "h1"),
            _p(
                "This domain is for use in illustrative examples in documents. "
                "You may use this domain in "
                "literature without prior coordination or asking for permission."
            ),
            WebBlock("More information...", "link", "https://www.iana.org/domains/example"),
        ),
    ),
    "weather.example.com": Page(
        "Weather forecast",
        (
            WebBlock("Weather for London", "h1"),
            _p("Today: 14°C, light rain in the afternoon. Wind 20 km/h from the south-west."),
            _p("Tomorrow: 17°C and sunny. UV index 4."),
            _p("Sunday: 12°C, cloudy with showers."),
        ),
    ),
    "recipes.example.com": Page(
        "Fluffy pancakes",
        (
            WebBlock("Fluffy pancakes", "h1"),
            WebBlock("Serves 4 · 20 minutes", "small"),
            WebBlock("Ingredients", "h2"),
            _p(
                "200 g plain flour, 2 eggs, 300 ml milk, 1 tbsp sugar, a pinch of salt, "
                "butter for the pan."
            ),
            WebBlock("Method", "h2"),
            _p("1. Whisk flour, sugar and salt. 2. Beat in the eggs and milk until smooth."),
            _p(
                "3. Rest the batter for 10 minutes. 4. Cook small ladlefuls in a hot buttered pan, "
                "about 1 minute per side."
            ),
        ),
    ),
}


def normalize(text: str) -> str:
    """A typed address or search terms → the URL to load."""
    text = text.strip()
    if "://" in text or text.startswith("about:"):
        return text
    if "." in text and " " not in text:
        return "https://" + text
    return SEARCH_URL + quote_plus(text)


def _search(query: str) -> Page:
    words = [w for w in query.lower().split() if len(w) > 2]
    blocks = [WebBlock(f"Results for “{query}”", "h1")]
    candidates: list[tuple[str, Page | None]] = [
        (f"https://{host}/", page) for host, page in STATIC.items()
    ]
    candidates += [(f"https://news.example.com/articles/{k}", _article(k)) for k in ARTICLES]
    candidates.append((HOME_URL, _news()))
    for url, page in candidates:
        if page is not None and any(w in page.text().lower() for w in words):
            blocks.append(WebBlock(page.title, "link", url))
            blocks.append(WebBlock(url, "small"))
    if len(blocks) == 1:
        blocks.append(_p("No results found. Check the spelling or try other words."))
    return Page(f"{query} - Search", tuple(blocks))


def page_for(url: str) -> Page:
    """The page at `url` (an error page for unknown sites)."""
    parts = urlsplit(url)
    host, path = parts.hostname or "", parts.path.rstrip("/")
    if host == "news.example.com":
        page = _news() if not path else _article(path.rsplit("/", 1)[-1])
        if page is not None:
            return page
    elif host == "search.example.com":
        return _search(" ".join(parse_qs(parts.query).get("q", [""])))
    elif (host in STATIC and not path) or (host in STATIC and host == "recipes.example.com"):
        return STATIC[host]
    shown = host or url
    return Page(
        "Page not available",
        (
            WebBlock("This site can't be reached", "h1"),
            _p(f"{shown} is not available on this offline phone."),
            WebBlock("ERR_NAME_NOT_RESOLVED", "small"),
            WebBlock("Go to the front page", "link", HOME_URL),
        ),
    )
