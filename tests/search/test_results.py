"""What search finds beyond the posts (search/results.py): the compilation's sections and
entries, kept per content version; "did you mean"; and the same page of results from a search
server as from the database."""

import pytest

from search import results
from search.text import parse_query
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    return factories.make_topic(name="Performance", slug="performance")


def test_the_compilation_index_follows_publishing(home, index, topic):
    post = factories.make_post(index, title="Heron watching", topic=topic)
    compilation = factories.make_compilation(
        home, [factories.section("Birds", [factories.post_entry(post, "Grey and patient.")])]
    )
    assert [hit.page.pk for hit in results.compilation_hits(parse_query("patient"))] == [
        compilation.pk
    ]

    factories.publish_sections(
        compilation, [factories.section("Birds", [factories.post_entry(post, "Tall and still.")])]
    )

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


def test_did_you_mean_never_suggests_a_tag_used_only_by_drafts(index, topic):
    factories.make_post(index, title="Caching Django", topic=topic)
    factories.make_post(index, live=False, title="Draft", topic=topic, tags=["zeppelinfield"])

    assert results.did_you_mean(parse_query("zeppelinfeld")) == ""
