"""The seeded web: Deal Finder, the news site's trending topics and articles, Example
Travel and the search engine over them, read through the Browser and the pure functions."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

import pytest

from virtual_phone.apps import web_pages
from virtual_phone.apps.shop.catalogue import catalogue
from virtual_phone.phone import Phone
from virtual_phone.ui.hierarchy import find_node

BROWSER = "com.example.browser"
SEEDS = [0, 1, 5]


def _page(phone: Phone) -> dict[str, Any]:
    return phone.app_state(BROWSER)["page"]


def _drawn(phone: Phone) -> str:
    """The text drawn on screen but absent from the hierarchy (the web page)."""
    return " ".join(t.text for t in phone.screen_texts() if not t.reported)


def _go(phone: Phone, address: str) -> None:
    """Type an address into the address bar, as a user does."""
    phone.start_app(BROWSER)
    node = find_node(phone.nodes(), resource_id=f"{BROWSER}:id/url_bar")
    assert node is not None
    left, top, right, bottom = node.bounds
    phone.tap((left + right) / 2, (top + bottom) / 2)
    phone.clear_focused_text()
    phone.input_text(address + "\n")


# == Deal Finder =====================================================================
@pytest.mark.parametrize("seed", SEEDS)
def test_deals_list_shop_products_at_other_prices(seed: int) -> None:
    deals = web_pages.deals(seed)
    products = {p.id: p for p in catalogue(seed)}
    assert len(deals) >= 40
    assert len({d.product_id for d in deals}) == len(deals)
    for deal in deals:
        product = products[deal.product_id]
        assert (deal.name, deal.shop_price) == (product.name, product.price)
        assert round(abs(deal.web_price - deal.shop_price) * 100) >= 50
        assert round(deal.web_price, 2) == deal.web_price
    cheaper = sum(d.cheaper_on_web for d in deals)
    assert 0 < cheaper < len(deals)


def test_deals_differ_between_seeds() -> None:
    first, second = (web_pages.deals(seed) for seed in SEEDS[:2])
    assert [(d.product_id, d.web_price) for d in first] != [
        (d.product_id, d.web_price) for d in second
    ]


@pytest.mark.parametrize("seed", [0, 1])
def test_deal_page_in_the_browser_is_drawn_not_in_the_hierarchy(seed: int) -> None:
    phone = Phone(seed=seed)
    deal = web_pages.deals(seed)[seed + 2]
    _go(phone, f"deals.example.com/item/{deal.product_id}")
    state = phone.app_state(BROWSER)
    assert state["url"] == f"https://deals.example.com/item/{deal.product_id}"
    assert state["history"][-1] == state["url"]
    price = f"${deal.web_price:,.2f}"
    assert f"Best web price: {price} at {deal.store}" in _page(phone)["text"]
    assert price in _drawn(phone)
    assert price not in phone.hierarchy_xml()


def test_deals_home_searches_by_words() -> None:
    phone = Phone(seed=1)
    _go(phone, "deals.example.com/?q=air+fryer")
    text = _page(phone)["text"]
    fryers = [d for d in web_pages.deals(1) if d.kind == "Air Fryer"]
    others = [d for d in web_pages.deals(1) if d.kind != "Air Fryer"]
    assert fryers
    assert all(d.name in text for d in fryers)
    assert not any(d.name in text for d in others)
    assert f"{len(fryers)} deals for “air fryer”" in text


# == news and trending ===============================================================
@pytest.mark.parametrize("seed", SEEDS)
def test_trending_has_ten_ranked_topics(seed: int) -> None:
    topics = web_pages.trending(seed)
    assert [t.rank for t in topics] == list(range(1, 11))
    searches = [t.searches for t in topics]
    assert searches == sorted(searches, reverse=True) and len(set(searches)) == 10
    page = web_pages.page_for("https://news.example.com/trending", seed).text()
    for topic in topics:
        assert f"{topic.rank}. {topic.topic}" in page
        assert f"{topic.searches}K searches" in page


def test_trending_differs_between_seeds() -> None:
    assert [t.topic for t in web_pages.trending(0)] != [t.topic for t in web_pages.trending(1)]


@pytest.mark.parametrize("seed", [0, 1])
def test_seeded_articles_state_their_facts(seed: int) -> None:
    drawn = [a for a in web_pages.articles(seed) if a.facts]
    assert len(drawn) == 4
    linked = {t.url for t in web_pages.trending(seed)}
    for article in drawn:
        text = web_pages.page_for(article.url, seed).text()
        assert all(value in text for value in article.facts.values()), article.key
        assert article.url in linked


def test_the_phone_seed_picks_the_news() -> None:
    texts = []
    for seed in (0, 1):
        phone = Phone(seed=seed)
        _go(phone, "news.example.com/trending")
        texts.append(_page(phone)["text"])
        assert web_pages.trending(seed)[0].topic in texts[-1]
        assert web_pages.trending(seed)[0].topic in _drawn(phone)
    assert texts[0] != texts[1]


def test_front_page_keeps_its_standing_stories() -> None:
    for seed in (0, 3):
        text = web_pages.page_for(web_pages.HOME_URL, seed).text()
        assert "the central library will open from 8 am to 10 pm" in text
        assert "Trending now" in text
        assert "Fluffy pancakes in 20 minutes" in text


# == travel ==========================================================================
@pytest.mark.parametrize("seed", SEEDS)
def test_travel_fares_and_durations_are_unique(seed: int) -> None:
    destinations = web_pages.travel(seed)
    assert len(destinations) == 6
    for dest in destinations:
        for routes in (dest.trains, dest.flights):
            assert len({r.price for r in routes}) == len(routes)
            assert len({r.minutes for r in routes}) == len(routes)
        text = web_pages.page_for(dest.url, seed).text()
        cheapest = min(dest.trains, key=lambda r: r.price)
        assert f"{cheapest.depart} → {cheapest.arrive}" in text
        for sight in dest.sights:
            assert f"{sight.name}: {sight.hours()}" in text


def test_travel_differs_between_seeds() -> None:
    first, second = web_pages.travel(0), web_pages.travel(1)
    assert [d.trains for d in first] != [d.trains for d in second]


def test_destination_page_through_the_browser() -> None:
    phone = Phone(seed=1)
    dest = web_pages.travel(1)[0]
    _go(phone, f"travel.example.com/destinations/{dest.slug}")
    assert _page(phone)["title"] == f"London to {dest.city} - Example Travel"
    assert f"London to {dest.city}" in _drawn(phone)


# == search and errors ===============================================================
@pytest.mark.parametrize("seed", [0, 1])
def test_search_finds_every_site(seed: int) -> None:
    deal = web_pages.deals(seed)[7]
    dest = web_pages.travel(seed)[2]
    story = next(a for a in web_pages.articles(seed) if a.facts)

    def first_result(query: str) -> str:
        page = web_pages.page_for(web_pages.SEARCH_URL + quote_plus(query), seed)
        return next(b.href for b in page.blocks if b.kind == "link")

    assert first_result(deal.name) == deal.url
    assert first_result(f"London to {dest.city}") == dest.url
    assert first_result(story.title) == story.url
    assert first_result("trending now") == "https://news.example.com/trending"
    assert first_result("pancakes") == "https://recipes.example.com/"


def test_search_page_from_the_address_bar() -> None:
    phone = Phone(seed=0)
    deal = web_pages.deals(0)[0]
    _go(phone, deal.name)
    state = phone.app_state(BROWSER)
    assert state["url"] == web_pages.SEARCH_URL + quote_plus(deal.name)
    assert deal.url in _page(phone)["text"]


def test_unknown_pages_of_seeded_sites_are_errors() -> None:
    for url in (
        "https://deals.example.com/item/p9999",
        "https://travel.example.com/destinations/atlantis",
        "https://news.example.com/articles/none",
        "https://deals.example.com/nothing",
    ):
        assert web_pages.page_for(url, 0).title == "Page not available", url


# == through uiautomator2 ============================================================
@pytest.mark.e2e
def test_deal_page_through_u2(u2_device: Any, connected_phone: Any) -> None:
    d, phone = u2_device, connected_phone.phone
    deal = web_pages.deals(0)[1]
    # GIVEN the Browser, WHEN the deal's address is typed into its address bar
    d.app_start(BROWSER)
    bar = d(resourceId=f"{BROWSER}:id/url_bar")
    assert bar.wait(timeout=5)
    bar.click()
    d.send_keys(f"deals.example.com/item/{deal.product_id}", clear=True)
    d.press("enter")
    # THEN the Browser's state holds the page, whose price is drawn but not dumped
    url = f"https://deals.example.com/item/{deal.product_id}"
    assert bar.get_text() == url
    assert phone.app_state(BROWSER)["url"] == url
    price = f"${deal.web_price:,.2f}"
    assert price in phone.app_state(BROWSER)["page"]["text"]
    assert price not in d.dump_hierarchy()
