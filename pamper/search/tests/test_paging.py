"""Search paging (issue 18, point 10): a result count, Previous / Next and page numbers, every link keeping the
search and its filters; a page asked for by number is the same page the cursor leads to."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.usefixtures("london")
SEARCH = {"q": "mesotherapy", "near": "London", "limit": "2", "price_max": "500", "sort": "distance"}


def page(client, **params):  # type: ignore[no-untyped-def]
    response = client.get("/search/", params)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def nav(html: str) -> str:
    return re.search(r'<nav class="search-pages" aria-label="Pages of results">.*?</nav>', html, re.S).group(0)


def links(html: str) -> dict[str, str]:
    """Link text (Previous, Next, 1, 2 ...) to its URL, in the pager."""
    found = re.findall(r'<a class="pager-\w+"[^>]*href="([^"]+)"[^>]*>(.*?)</a>', nav(html), re.S)
    return {re.sub(r"<[^>]+>|Page ", "", text).strip(): unescape(url) for url, text in found}


def names(html: str) -> list[str]:
    return re.findall(r'<h2 class="search-venue"><a [^>]*>([^<]+)</a>', html)


def test_the_first_page_counts_the_venues_and_links_the_next_pages(client) -> None:  # type: ignore[no-untyped-def]
    html = page(client, **SEARCH)
    assert "4 venues · page 1 of 2" in html
    pager = nav(html)
    assert 'aria-current="page"' in pager and '<span class="pager-step" aria-disabled="true">Previous</span>' in pager
    found = links(html)
    assert set(found) == {"1", "2", "Next"}
    for url in found.values():
        query = parse_qs(urlsplit(url).query)
        for key, value in SEARCH.items():
            assert query[key] == [value], (key, url)  # every filter kept


def test_next_previous_and_numbers_lead_to_the_same_pages(client) -> None:  # type: ignore[no-untyped-def]
    first = page(client, **SEARCH)
    second = client.get(links(first)["Next"]).content.decode()
    assert "page 2 of 2" in second and names(second) and not set(names(second)) & set(names(first))
    assert set(links(second)) == {"Previous", "1", "2"}  # no Next on the last page
    assert re.search(r'aria-current="page"><span class="search-sr">Page </span>2<', nav(second))
    by_number = page(client, **SEARCH, page="2")  # no cursor: the page is walked to
    assert names(by_number) == names(second)
    back = client.get(links(second)["Previous"]).content.decode()
    assert names(back) == names(first)


def test_a_page_past_the_last_shows_the_last_and_nonsense_the_first(client) -> None:  # type: ignore[no-untyped-def]
    assert "page 2 of 2" in page(client, **SEARCH, page="9")
    assert "page 1 of 2" in page(client, **SEARCH, page="x")


def test_one_page_needs_no_pager_but_says_the_count(client) -> None:  # type: ignore[no-untyped-def]
    html = page(client, q="mesotherapy", near="London")
    assert "4 venues" in html and "page 1 of" not in html and "Pages of results" not in html
