"""The search backend's SQL change (search/backends.py) and the indexes search keeps per version."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend
from wagtail.search.backends import get_search_backend

from blog.models import TopicPostPage
from search import results
from search.text import parse_query
from tests import factories

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL backend needs PostgreSQL"
)

WORDS = ["cache", "index", "query", "worker", "deploy"]


@pytest.fixture
def topic():
    return factories.make_topic(name="Performance", slug="performance")


def corpus(index, topic):
    # Titles, summaries and bodies with different mixes of the words, so that ranks differ.
    for n in range(12):
        title = f"{WORDS[n % 5].title()} notes {n}"
        summary = " ".join(WORDS[(n + k) % 5] for k in range(n % 3 + 1))
        body = " ".join(WORDS[(n * k) % 5] for k in range(n + 2))
        factories.make_post(
            index, title=title, summary=summary, topic=topic, body=factories.markdown_body(body)
        )


@postgresql_only
@pytest.mark.parametrize("text", ["cache", "index query", "worker deploy cache", "nothing"])
def test_results_and_order_match_the_stock_backend(index, topic, text):
    corpus(index, topic)
    ours = get_search_backend()
    stock = PostgresSearchBackend({"SEARCH_CONFIG": "english"})
    posts = TopicPostPage.objects.live()

    expected = [
        (p.pk, round(p.score, 6)) for p in stock.search(text, posts).annotate_score("score")
    ]
    got = [(p.pk, round(p.score, 6)) for p in ours.search(text, posts).annotate_score("score")]

    assert got == expected
    assert (len(got) > 0) == (text != "nothing")


@postgresql_only
def test_the_ranked_query_does_not_select_the_concatenated_vector(index, topic):
    corpus(index, topic)
    with CaptureQueriesContext(connection) as queries:
        list(get_search_backend().search("cache", TopicPostPage.objects.live())[:5])

    sql = queries[-1]["sql"]
    select_list = sql[: sql.index(" FROM ")]
    assert "@@" in sql  # the full-text match is still the filter
    assert "_vector_" not in select_list
    assert '"wagtailsearch_indexentry"."body"' not in select_list


@postgresql_only
def test_connections_price_page_reads_for_ssds():
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def test_the_compilation_index_follows_publishing(home, index, topic):
    post = factories.make_post(index, title="Heron watching", topic=topic)
    compilation = factories.make_compilation(
        home, [factories.section("Birds", [factories.post_entry(post, "Grey and patient.")])]
    )
    assert [hit.page.pk for hit in results.compilation_hits(parse_query("patient"))] == [
        compilation.pk
    ]

    compilation.body = [factories.section("Birds", [factories.post_entry(post, "Tall and still.")])]
    factories.publish(compilation)

    assert results.compilation_hits(parse_query("patient")) == []
    assert [hit.page.pk for hit in results.compilation_hits(parse_query("still"))] == [
        compilation.pk
    ]


def test_the_compilation_index_drops_an_unpublished_post_entry(home, index, topic):
    post = factories.make_post(index, title="Kingfisher", topic=topic)
    factories.make_compilation(
        home, [factories.section("Rivers", [factories.post_entry(post, "Blue flash.")])]
    )
    assert results.compilation_hits(parse_query("kingfisher"))

    post.unpublish()

    assert results.compilation_hits(parse_query("kingfisher")) == []


def test_did_you_mean_learns_words_from_new_titles(index, topic):
    factories.make_post(index, title="Caching Django", topic=topic)
    assert results.did_you_mean(parse_query("pgbouncr")) == ""

    factories.make_post(index, title="Pooling with pgbouncer", topic=topic)

    assert results.did_you_mean(parse_query("pgbouncr")) == "pgbouncer"


def test_vocabulary_finds_close_words_and_ignores_distant_ones():
    known = results.Vocabulary(["caching", "database", "databases", "deploy", "gunicorn"])

    assert known.closest("cachng") == "caching"
    assert known.closest("databse") in ("database", "databases")
    assert known.closest("gunicron") == "gunicorn"
    assert known.closest("qwxzv") is None


@pytest.mark.parametrize("params", ["", "&topic=second", "&tag=birds", "&sort=date", "&page=2"])
def test_a_search_server_pages_and_counts_the_same_way(client, index, topic, monkeypatch, params):
    # OpenSearch/Elasticsearch results are not querysets: topics are counted by a facet and the
    # page is read lazily. Both ways must show the same page.
    second = factories.make_topic(name="Second", slug="second")
    for n in range(14):
        factories.make_post(
            index,
            title=f"Heron {n}",
            topic=second if n % 3 == 0 else topic,
            tags=["birds"] if n % 2 else [],
            body=factories.markdown_body("heron " * (n + 1)),
        )
    url = f"/search/?q=heron{params}"
    one_query = client.get(url).content.decode()

    monkeypatch.setattr(results, "_rows_in_one_query", lambda found: False)
    lazily = client.get(url).content.decode()

    assert "result__title" in one_query
    assert lazily == one_query
