"""Queries cleaned before they are searched (search/text.py): search answers every input with a
page or JSON, never a 500 or the reader's markup."""

import pytest
from django.test import Client

from search.text import MAX_QUERY_CHARS, MAX_TERMS, parse_query

pytestmark = pytest.mark.django_db

BAD_QUERIES = [
    pytest.param(" ".join(f"word{n}" for n in range(200)), id="200-words"),
    pytest.param("and " * 300, id="300-operators-words"),
    pytest.param("caching\x00", id="nul-byte"),
    pytest.param("\x00", id="only-nul"),
    pytest.param("chase-", id="trailing-hyphen"),
    pytest.param("-Data", id="leading-hyphen"),
    pytest.param("Data-X.2", id="hyphen-dotted"),
    pytest.param('"', id="lone-quote"),
    pytest.param("'", id="lone-apostrophe"),
    pytest.param('"caching', id="unbalanced-quote"),
    pytest.param('\'caching" "', id="mixed-quotes"),
    pytest.param("   ", id="spaces"),
    pytest.param("\t\n\r", id="whitespace"),
    pytest.param("x" * 10_000, id="10000-chars-one-word"),
    pytest.param("caching " * 1_250, id="10000-chars-many-words"),
    pytest.param("cach\u200bing\u200d \u202eevil\u202c", id="zero-width-and-bidi"),
    pytest.param("\x01\x02\x1b[31mred\x7f", id="control-chars"),
    pytest.param("& | ! : * ( ) <-> <2> ~ ^ @@ !! ||", id="operator-soup"),
    pytest.param("cach:* & !(data | <->)", id="tsquery-syntax"),
    pytest.param("NEAR(a b) OR title: c* AND NOT d", id="fts5-syntax"),
    pytest.param("'; DROP TABLE wagtailcore_page; --", id="sql-drop"),
    pytest.param("1' OR '1'='1", id="sql-or"),
    pytest.param("%_% \\ %s %(x)s", id="percent-and-backslash"),
    pytest.param("🚀🔥 caching 🤖", id="emoji"),
    pytest.param("🚀", id="only-emoji"),
    pytest.param("שלום עולם مرحبا", id="right-to-left"),
    pytest.param("日本語の検索", id="cjk"),
    pytest.param("<script>alert(1)</script>", id="script-tag"),
    pytest.param('"><img src=x onerror=alert(1)>', id="attribute-breakout"),
    pytest.param("{{ 7*7 }} {% debug %}", id="template-syntax"),
]


def assert_safe(response):
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "onerror=alert" not in html or "onerror=alert(1)&gt;" in html


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_search_page_survives(client, site, query):
    response = client.get("/search/", {"q": query})

    assert_safe(response)


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_suggest_survives(client, site, query):
    response = client.get("/search/suggest/", {"q": query})

    assert response["Content-Type"] == "application/json"
    if response.status_code == 400:  # refused before the view, e.g. a NUL byte
        assert response.json()["error"]
    else:
        assert response.status_code == 200
        assert isinstance(response.json()["suggestions"], list)


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_filtered_and_sorted_search_survives(client, site, query):
    response = client.get(
        "/search/", {"q": query, "topic": query, "tag": query, "sort": query, "page": query}
    )

    assert_safe(response)


def test_raw_nul_in_the_url_does_not_break_search(site):
    client = Client()
    responses = [
        client.get("/search/?q=cach%00ing&topic=%00&page=%00"),
        client.get("/search/?q=%ED%A0%80%FF%FEcaching"),  # not UTF-8 at all
        client.get("/search/suggest/?q=%ED%A0%80%00cach"),
    ]

    assert [r.status_code in (200, 400) for r in responses] == [True, True, True]


def test_operator_soup_still_finds_the_words_inside_it(client, site):
    response = client.get("/search/", {"q": '"caching" & (data) | !:*'})

    assert "Caching data" in response.content.decode()


def test_hyphenated_words_are_searched_as_words(client, site):
    assert "Caching data" in client.get("/search/", {"q": "-Data"}).content.decode()
    assert "Caching data" in client.get("/search/", {"q": "caching-"}).content.decode()


def test_query_without_searchable_words_gets_a_clear_message(client, site):
    html = client.get("/search/", {"q": "🚀 & |"}).content.decode()

    assert "That search has no words we can look for" in html


def test_long_query_is_cut_and_says_so(client, site):
    html = client.get("/search/", {"q": " ".join(["caching"] + [f"w{n}" for n in range(50)])})

    assert "only its first 12 words were used" in html.content.decode()


def test_parse_query_caps_length_and_terms():
    query = parse_query(" ".join(f"term{n}" for n in range(100)) + "x" * 10_000)

    assert len(query.terms) == MAX_TERMS
    assert len(query.raw) <= MAX_QUERY_CHARS
    assert query.truncated


def test_parse_query_keeps_dotted_words_and_drops_syntax():
    assert parse_query('Data-X.2 -chase- "N+1" django.db').terms == (
        "data",
        "x.2",
        "chase",
        "n",
        "1",
        "django.db",
    )


def test_parse_query_drops_invisible_characters_inside_words():
    assert parse_query("cach\u200bing").terms == ("caching",)
