"""news.example.com, Daily Example News: the front page, a "Trending now" list of ten
ranked topics and articles, three standing and four drawn from the seed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from urllib.parse import quote_plus

from .news_stories import MONTHS, TEMPLATES, Story
from .page import Page, h1, h2, link, p, small

HOME_URL = "https://news.example.com/"
TRENDING_URL = HOME_URL + "trending"
SEARCH_URL = "https://search.example.com/?q="
STORIES_PER_DAY = 4

STANDING = {
    "1": (
        "City library extends opening hours",
        (
            "From next Monday the central library will open from 8 am to 10 pm on weekdays.",
            "The change follows a survey in which 4,200 residents asked for evening study space.",
            "Weekend hours stay the same: 10 am to 6 pm on Saturdays and Sundays.",
        ),
    ),
    "2": (
        "Local team wins regional final 3-1",
        (
            "The Riverside Rovers beat Hillcrest United 3-1 on Saturday in front of 12,000 fans.",
            "Striker Maya Okafor scored twice in the second half.",
            "The team will play the national semi-final on 14 March.",
        ),
    ),
    "3": (
        "New tram line opens to the airport",
        (
            "Line T7 connects the central station with the airport in 24 minutes.",
            "Trams run every 8 minutes from 5:30 am until midnight. "
            "A single ticket costs 3.40 euros.",
        ),
    ),
}
EVERGREEN = (
    "Solar eclipse",
    "Interest rates",
    "Champions League final",
    "Mars rover",
    "Electric bikes",
    "Book awards",
    "Streaming prices",
    "Heat pumps",
    "Olympic trials",
    "Song contest",
    "Bird migration",
    "Chess championship",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Article:
    """A news article: `facts` holds the names, numbers and dates its text states
    (empty for the standing articles)."""

    key: str
    title: str
    paragraphs: tuple[str, ...]
    facts: dict[str, str]

    @property
    def url(self) -> str:
        return f"{HOME_URL}articles/{self.key}"


@dataclass(frozen=True)
class Topic:
    """A trending topic: its rank (1 is first), name, searches in thousands, and the page
    it links to (its article, or a search)."""

    rank: int
    topic: str
    searches: int
    url: str


@lru_cache(maxsize=16)
def _stories(seed: int) -> tuple[Story, ...]:
    rng = random.Random(f"news:{seed}")
    return tuple(make(rng) for make in rng.sample(TEMPLATES, STORIES_PER_DAY))


def articles(seed: int) -> list[Article]:
    """Every article: the standing ones ("1"–"3"), then the seeded stories by key."""
    standing = [Article(k, title, body, {}) for k, (title, body) in STANDING.items()]
    drawn = [Article(s.key, s.title, s.paragraphs, dict(s.facts)) for s in _stories(seed)]
    return standing + drawn


@lru_cache(maxsize=16)
def _trending(seed: int) -> tuple[Topic, ...]:
    rng = random.Random(f"trending:{seed}")
    stories = {s.topic: f"{HOME_URL}articles/{s.key}" for s in _stories(seed)}
    names = list(stories) + rng.sample(EVERGREEN, 10 - len(stories))
    rng.shuffle(names)
    searches = sorted(rng.sample(range(20, 900), len(names)), reverse=True)
    return tuple(
        Topic(rank, name, volume, stories.get(name, SEARCH_URL + quote_plus(name)))
        for rank, (name, volume) in enumerate(zip(names, searches, strict=True), start=1)
    )


def trending(seed: int) -> list[Topic]:
    """The ten trending topics, rank 1 first (searches strictly decreasing)."""
    return list(_trending(seed))


def edition(seed: int) -> str:
    """The front page's date line, e.g. "Saturday 14 June 2024"."""
    day = date(2024, 1, 1) + timedelta(days=random.Random(f"edition:{seed}").randint(0, 365))
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} 2024"


def front_page(seed: int) -> Page:
    """The front page: standing stories, weather and recipes, Trending now, more stories."""
    blocks = [h1("Daily Example News"), small(f"{edition(seed)} edition")]
    for article in articles(seed)[: len(STANDING)]:
        blocks += [link(article.title, article.url), p(article.paragraphs[0])]
    blocks += [
        h2("Weather"),
        link("Today's forecast", "https://weather.example.com/"),
        h2("Recipes"),
        link("Fluffy pancakes in 20 minutes", "https://recipes.example.com/pancakes"),
        h2("Trending now"),
        *(link(f"{t.rank}. {t.topic} · {t.searches}K searches", t.url) for t in trending(seed)),
        link("All trending topics", TRENDING_URL),
        h2("More stories"),
    ]
    for article in articles(seed)[len(STANDING) :]:
        blocks += [link(article.title, article.url), p(article.paragraphs[0])]
    blocks.append(small("© 2024 Daily Example News. All rights reserved."))
    return Page("Daily Example News", tuple(blocks))


def trending_page(seed: int) -> Page:
    """news.example.com/trending: the ranked topics with their searches."""
    blocks = [h1("Trending now"), small(f"Top searches · {edition(seed)}")]
    for topic in trending(seed):
        blocks += [
            link(f"{topic.rank}. {topic.topic}", topic.url),
            small(f"{topic.searches}K searches"),
        ]
    blocks.append(link("Back to the front page", HOME_URL))
    return Page("Trending now - Daily Example News", tuple(blocks))


def article_page(seed: int, key: str) -> Page | None:
    """An article by key, or None."""
    article = next((a for a in articles(seed) if a.key == key), None)
    if article is None:
        return None
    blocks = [
        h1(article.title),
        small("By the newsroom"),
        *(p(text) for text in article.paragraphs),
        link("Back to the front page", HOME_URL),
    ]
    return Page(article.title, tuple(blocks))


def pages(seed: int) -> list[tuple[str, Page]]:
    """(url, page) of every page of the site, for the search engine."""
    found = [(HOME_URL, front_page(seed)), (TRENDING_URL, trending_page(seed))]
    for article in articles(seed):
        page = article_page(seed, article.key)
        if page is not None:
            found.append((article.url, page))
    return found
