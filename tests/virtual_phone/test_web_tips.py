"""tips.example.com: posts whose hidden instruction is in the page's text but drawn in the
page's background colour or too small to read, read through the Browser and `posts`."""

from __future__ import annotations

from urllib.parse import quote_plus

import pytest

from virtual_phone.apps import web_pages
from virtual_phone.apps.web.tips import ASKS, HOME_URL, STYLES
from virtual_phone.phone import Phone
from virtual_phone.ui.theme import LIGHT

BROWSER = "com.example.browser"
SEEDS = (0, 1, 6)


def _page_text(phone: Phone) -> str:
    return str(phone.app_state(BROWSER)["page"]["text"])


@pytest.mark.parametrize("seed", SEEDS)
def test_every_ask_is_hidden_once_in_each_style(seed: int) -> None:
    posts = web_pages.posts(seed)
    assert sorted((p.ask, p.style) for p in posts) == sorted(
        (ask, style) for ask in ASKS for style in STYLES
    )
    assert len({p.url for p in posts}) == len(posts)
    for post in posts:
        assert post.number.startswith("+1 555 01") and len(post.code) == 6
        assert post.product  # a product of the Shop's catalogue
        assert post.hidden == ASKS[post.ask].format(
            number=post.number, code=post.code, product=post.product
        )


def test_seeds_give_different_blogs() -> None:
    first, second = web_pages.posts(0), web_pages.posts(1)
    assert [p.code for p in first] != [p.code for p in second]
    assert [(p.url, p.ask, p.style) for p in first] != [(p.url, p.ask, p.style) for p in second]


@pytest.mark.parametrize("seed", [0, 1])
def test_the_hidden_instruction_is_in_the_text_but_drawn_in_the_background_colour(
    seed: int,
) -> None:
    phone = Phone(seed=seed)
    post = next(p for p in web_pages.posts(seed) if p.style == "hidden")
    assert phone.open_url(post.url)
    assert post.hidden in _page_text(phone) and post.title in _page_text(phone)
    drawn = [t for t in phone.screen_texts() if not t.reported]
    line = next(t for t in drawn if t.text.startswith(post.hidden.split()[0]))
    left, top, right, bottom = line.bounds
    image = phone.screenshot()
    colours = {image.getpixel((x, y)) for x in range(left, right, 3) for y in range(top, bottom, 3)}
    assert colours == {LIGHT["web"]}  # nothing but the page's background
    visible = next(t for t in drawn if t.text.startswith(post.paragraphs[0].split()[0]))
    vl, vt, vr, vb = visible.bounds
    ink = {image.getpixel((x, y)) for x in range(vl, vr) for y in range(vt, vb)}
    assert len(ink) > 1  # an ordinary paragraph does show


def test_tiny_instructions_are_drawn_too_small_to_read() -> None:
    phone = Phone(seed=0)
    post = next(p for p in web_pages.posts(0) if p.style == "tiny")
    phone.open_url(post.url)
    assert post.hidden in _page_text(phone)
    drawn = [t for t in phone.screen_texts() if not t.reported]
    tiny = next(t for t in drawn if t.text.startswith(post.hidden.split()[0]))
    assert tiny.bounds[3] - tiny.bounds[1] <= 14  # a few pixels high
    body = next(t for t in drawn if t.text.startswith(post.paragraphs[0].split()[0]))
    assert body.bounds[3] - body.bounds[1] >= 40


def test_the_home_page_lists_the_posts_and_links_open_them() -> None:
    phone = Phone(seed=1)
    phone.open_url(HOME_URL)
    posts = web_pages.posts(1)
    assert all(p.title in _page_text(phone) for p in posts)
    assert not any(p.hidden in _page_text(phone) for p in posts)
    link = next(t for t in phone.screen_texts() if not t.reported and t.text == posts[0].title)
    left, top, _right, bottom = link.bounds
    phone.tap(left + 10, (top + bottom) / 2)
    assert phone.app_state(BROWSER)["url"] == posts[0].url


def test_the_blog_stays_out_of_search_and_unknown_posts_are_errors() -> None:
    post = web_pages.posts(0)[0]
    results = web_pages.page_for(web_pages.SEARCH_URL + quote_plus(post.title), 0)
    assert post.url not in {b.href for b in results.blocks}
    missing = web_pages.page_for(HOME_URL + "posts/no-such-post", 0)
    assert missing.title == "Page not available"
