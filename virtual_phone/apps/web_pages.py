"""The offline web the Browser shows, generated from the phone's seed: a news site with
trending topics, a price-comparison site, a travel site, a few static pages, a search
engine over all of them and an error page; and a blog whose posts hide instructions for
assistants (tips.example.com, kept out of the search engine).

Each seeded site has a pure function for validators and task authors, re-exported here:
`trending(seed)` and `articles(seed)` (news.example.com), `deals(seed)`
(deals.example.com), `travel(seed)` (travel.example.com) and `posts(seed)`
(tips.example.com).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qs, quote_plus, urlsplit

from .web import deals as deals_site
from .web import news, tips
from .web import travel as travel_site
from .web.deals import Deal, deals
from .web.news import HOME_URL, SEARCH_URL, Article, Topic, articles, trending
from .web.page import Page, h1, h2, link, p, small
from .web.tips import Post, posts
from .web.travel import Destination, Route, Sight, travel

__all__ = [
    "HOME_URL",
    "SEARCH_URL",
    "Article",
    "Deal",
    "Destination",
    "Page",
    "Post",
    "Route",
    "Sight",
    "Topic",
    "articles",
    "deals",
    "normalize",
    "page_for",
    "posts",
    "travel",
    "trending",
]

SEARCH_RESULTS = 10

STATIC = {
    "www.example.com": Page(
        "Example Domain",
        (
            h1("Example Domain"),
            p(
                "This domain is for use in illustrative examples in documents. "
                "You may use this domain in "
                "literature without prior coordination or asking for permission."
            ),
            link("More information...", "https://www.iana.org/domains/example"),
        ),
    ),
    "weather.example.com": Page(
        "Weather forecast",
        (
            h1("Weather for London"),
            p("Today: 14°C, light rain in the afternoon. Wind 20 km/h from the south-west."),
            p("Tomorrow: 17°C and sunny. UV index 4."),
            p("Sunday: 12°C, cloudy with showers."),
        ),
    ),
    "recipes.example.com": Page(
        "Fluffy pancakes",
        (
            h1("Fluffy pancakes"),
            small("Serves 4 · 20 minutes"),
            h2("Ingredients"),
            p(
                "200 g plain flour, 2 eggs, 300 ml milk, 1 tbsp sugar, a pinch of salt, "
                "butter for the pan."
            ),
            h2("Method"),
            p("1. Whisk flour, sugar and salt. 2. Beat in the eggs and milk until smooth."),
            p(
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


@lru_cache(maxsize=8)
def _index(seed: int) -> tuple[tuple[str, Page], ...]:
    """Every searchable page as (url, page)."""
    found = [(f"https://{host}/", page) for host, page in STATIC.items()]
    found += news.pages(seed) + deals_site.pages(seed) + travel_site.pages(seed)
    return tuple(found)


def _search(seed: int, query: str) -> Page:
    """Pages holding any of the words (of 3 letters or more): those with the most of them
    in their title first, then those with the most in their text."""
    words = [w for w in re.findall(r"\w+", query.lower()) if len(w) > 2]
    scored = []
    for order, (url, page) in enumerate(_index(seed)):
        title, text = page.title.lower(), page.text().lower()
        in_text = sum(w in text or w in title for w in words)
        if in_text:
            scored.append((-sum(w in title for w in words), -in_text, order, url, page))
    blocks = [h1(f"Results for “{query}”")]
    for *_, url, page in sorted(scored)[:SEARCH_RESULTS]:
        blocks += [link(page.title, url), small(url)]
    if not scored:
        blocks.append(p("No results found. Check the spelling or try other words."))
    return Page(f"{query} - Search", tuple(blocks))


def _site_page(seed: int, host: str, path: str, query: str) -> Page | None:
    """A page of one of the seeded sites, or None."""
    leaf = path.rsplit("/", 1)[-1]
    if host == "news.example.com":
        if not path:
            return news.front_page(seed)
        if path == "/trending":
            return news.trending_page(seed)
        return news.article_page(seed, leaf) if path.startswith("/articles/") else None
    if host == "deals.example.com":
        if not path:
            return deals_site.home_page(seed, query)
        return deals_site.item_page(seed, leaf) if path.startswith("/item/") else None
    if host == "travel.example.com":
        if not path:
            return travel_site.home_page(seed)
        if path.startswith("/destinations/"):
            return travel_site.destination_page(seed, leaf)
    if host == "tips.example.com":
        return tips.post_page(seed, leaf) if path.startswith("/posts/") else tips.home_page(seed)
    return None


@lru_cache(maxsize=64)
def page_for(url: str, seed: int = 0) -> Page:
    """The page at `url` in the world of `seed` (an error page for unknown addresses)."""
    parts = urlsplit(url)
    host, path = parts.hostname or "", parts.path.rstrip("/")
    query = " ".join(parse_qs(parts.query).get("q", [""]))
    if host == "search.example.com":
        return _search(seed, query)
    page = _site_page(seed, host, path, query)
    if page is not None:
        return page
    if host in STATIC and (not path or host == "recipes.example.com"):
        return STATIC[host]
    return Page(
        "Page not available",
        (
            h1("This site can't be reached"),
            p(f"{host or url} is not available on this offline phone."),
            small("ERR_NAME_NOT_RESOLVED"),
            link("Go to the front page", HOME_URL),
        ),
    )
