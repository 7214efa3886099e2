"""Site search (search/views.py): the results page (ranking, visibility, filters, pagination,
compilation sections, promotions, logging) and the as-you-type suggestions."""

import datetime
import html as html_lib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from search.models import ZeroResultQuery
from tests import factories

pytestmark = pytest.mark.django_db


def result_titles(response):
    html = response.content.decode()
    return [
        html_lib.unescape(re.sub(r"<[^>]+>", "", title))
        for title in re.findall(r'class="result__title"[^>]*>(.*?)</a>', html, re.S)
    ]


def body(text):
    return factories.markdown_body(text)


@pytest.fixture
def topic():
    return factories.make_topic(name="Performance", slug="performance")


def test_title_match_ranks_above_body_match(client, index, topic):
    factories.make_post(
        index,
        title="Notes on deployment",
        summary="How we ship.",
        body=body("We also talk about zeppelins once, in passing, among other things."),
        topic=topic,
    )
    factories.make_post(
        index, title="Zeppelins in production", summary="An airship story.", topic=topic
    )

    titles = result_titles(client.get("/search/?q=zeppelins"))

    assert titles == ["Zeppelins in production", "Notes on deployment"]


def test_summary_match_ranks_above_body_match(client, index, topic):
    factories.make_post(
        index,
        title="First post",
        summary="Nothing to see.",
        body=body("Plenty of text here, and one mention of quokkas near the end of it all."),
        topic=topic,
    )
    factories.make_post(index, title="Second post", summary="All about quokkas.", topic=topic)

    assert result_titles(client.get("/search/?q=quokkas")) == ["Second post", "First post"]


def test_drafts_and_unpublished_pages_are_not_found(client, index, topic):
    factories.make_post(index, title="Draft about walruses", live=False, topic=topic)
    gone = factories.make_post(index, title="Old walruses post", topic=topic)
    gone.unpublish()
    factories.make_post(index, title="Live walruses post", topic=topic)

    assert result_titles(client.get("/search/?q=walruses")) == ["Live walruses post"]


def test_view_restricted_pages_are_not_found_by_anonymous_readers(client, index, topic):
    private = factories.make_post(index, title="Private narwhal plans", topic=topic)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret-words"
    )
    factories.make_post(index, title="Public narwhal notes", topic=topic)

    response = client.get("/search/?q=narwhal")
    suggest = client.get("/search/suggest/?q=narwh").json()

    assert result_titles(response) == ["Public narwhal notes"]
    assert "Private narwhal" not in response.content.decode()
    assert [s["title"] for s in suggest["suggestions"]] == [
        "Public narwhal notes",
        "Search for “narwh”",
    ]


def test_result_shows_type_topic_date_and_highlighted_snippet(client, index, topic):
    factories.make_post(
        index,
        title="Gunicorn workers",
        summary="Choosing how many gunicorn workers to run.",
        date=datetime.date(2026, 3, 4),
        topic=topic,
    )

    html = client.get("/search/?q=gunicorn").content.decode()

    assert '<span class="result__type">Post</span>' in html
    assert ">Performance</a>" in html
    assert '<time datetime="2026-03-04">4 March 2026</time>' in html
    assert "Choosing how many <mark>gunicorn</mark> workers to run." in html
    assert "1 result for “gunicorn”" in html


def test_snippet_comes_from_the_body_when_the_summary_does_not_match(client, index, topic):
    factories.make_post(
        index,
        title="A post",
        summary="Nothing relevant.",
        body=body("## Tuning\n\nSet the statement timeout before the pool fills up."),
        topic=topic,
    )

    html = client.get("/search/?q=timeout").content.decode()

    assert "Set the statement <mark>timeout</mark> before the pool fills up." in html


def test_highlighting_escapes_markup_in_query_and_content(client, index, topic):
    factories.make_post(
        index,
        title="Escaping <script>alert(1)</script> output",
        summary="Why <script>alert('x')</script> never runs in our templates.",
        topic=topic,
    )

    hostile_query = client.get("/search/?q=<script>alert(1)</script> templates")
    hostile_content = client.get("/search/?q=templates")

    for response in (hostile_query, hostile_content):
        assert response.status_code == 200
        assert "<script>alert" not in response.content.decode()
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt; templates"' in (
        hostile_query.content.decode()
    )
    assert (
        "Why &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; never runs in our "
        "<mark>templates</mark>." in hostile_content.content.decode()
    )
    assert "Escaping &lt;script&gt;alert(1)&lt;/script&gt; output" in (
        hostile_content.content.decode()
    )


def test_query_stays_in_both_search_boxes(client, index):
    html = client.get("/search/?q=connection+pooling").content.decode()

    assert re.search(r'id="site-search"[^>]*value="connection pooling"', html)
    assert re.search(r'id="search-q"[^>]*value="connection pooling"', html)


def test_empty_and_blank_queries_show_help_not_an_error(client, index):
    empty = client.get("/search/")
    blank = client.get("/search/?q=%20%20%09")

    assert empty.status_code == blank.status_code == 200
    assert "Type a word or two" in empty.content.decode()
    assert "Type a word or two" in blank.content.decode()
    assert 'class="results"' not in empty.content.decode()


def test_searches_body_blocks_tags_topic_and_authors(client, index):
    topic = factories.make_topic(name="Observability", slug="observability")
    author = factories.make_author(name="Ada Quillfeather", slug="ada")
    factories.make_post(
        index,
        title="A post with everything",
        topic=topic,
        tags=["flamegraphs"],
        authors=[author],
        body=[
            {"type": "rich_text", "value": "<p>Rich <b>ptolemaic</b> text.</p>"},
            {
                "type": "code",
                "value": {"language": "python", "filename": "", "source": "frobnicate()"},
            },
            {
                "type": "links",
                "value": {
                    "heading": "Further reading",
                    "links": [
                        {"url": "https://example.com/", "title": "Xylophone guide", "source": ""}
                    ],
                },
            },
        ],
    )

    for word in [
        "ptolemaic",
        "frobnicate",
        "xylophone",
        "flamegraphs",
        "observability",
        "quillfeather",
    ]:
        assert result_titles(client.get(f"/search/?q={word}")) == ["A post with everything"], word


def test_topic_filter_and_counts_per_topic(client, index):
    alpha = factories.make_topic(name="Alpha", slug="alpha")
    beta = factories.make_topic(name="Beta", slug="beta")
    for n in range(3):
        factories.make_post(index, title=f"Lighthouse {n}", topic=alpha)
    factories.make_post(index, title="Lighthouse beta", topic=beta)
    factories.make_post(index, title="Unrelated", topic=beta)

    all_topics = client.get("/search/?q=lighthouse").content.decode()
    only_beta = client.get("/search/?q=lighthouse&topic=beta")

    nav = re.search(r'<nav class="search-filters".*?</nav>', all_topics, re.S).group()
    assert 'Alpha <span class="count">(3)</span>' in nav
    assert 'Beta <span class="count">(1)</span>' in nav
    assert "4 results" in all_topics
    assert result_titles(only_beta) == ["Lighthouse beta"]
    assert "1 result for “lighthouse” in Beta" in only_beta.content.decode()


def test_tag_filter(client, index, topic):
    factories.make_post(index, title="Harbour one", tags=["boats"], topic=topic)
    factories.make_post(index, title="Harbour two", tags=["cars"], topic=topic)

    response = client.get("/search/?q=harbour&tag=boats")

    assert result_titles(response) == ["Harbour one"]
    assert "tagged “boats”" in response.content.decode()


def test_unknown_topic_or_tag_is_ignored_with_a_message(client, index, topic):
    factories.make_post(index, title="Harbour one", topic=topic)

    html = client.get("/search/?q=harbour&topic=nope&tag=%3Cb%3E").content.decode()

    assert "There is no topic “nope”" in html
    assert "There is no tag “&lt;b&gt;”" in html
    assert "1 result" in html


def test_sort_by_date_puts_newest_first(client, index, topic):
    factories.make_post(index, title="Kayak", date=datetime.date(2026, 1, 1), topic=topic)
    factories.make_post(
        index,
        title="Old post",
        date=datetime.date(2026, 6, 1),
        summary="Mentions kayak once.",
        topic=topic,
    )

    by_relevance = result_titles(client.get("/search/?q=kayak"))
    by_date = result_titles(client.get("/search/?q=kayak&sort=date"))

    assert by_relevance == ["Kayak", "Old post"]
    assert by_date == ["Old post", "Kayak"]


@pytest.fixture
def many_posts(index, topic):
    day = datetime.date(2026, 1, 1)
    return [
        factories.make_post(
            index, title=f"Orchid {n:02d}", date=day + datetime.timedelta(days=n), topic=topic
        )
        for n in range(23)
    ]


def test_pagination_walks_all_results(client, many_posts):
    pages = [result_titles(client.get(f"/search/?q=orchid&sort=date&page={n}")) for n in (1, 2, 3)]

    assert [len(titles) for titles in pages] == [10, 10, 3]
    assert len({title for titles in pages for title in titles}) == 23
    assert pages[0][0] == "Orchid 22"


@pytest.mark.parametrize(
    ("page", "expected_first"), [("abc", "Orchid 22"), ("-1", "Orchid 02"), ("99999", "Orchid 02")]
)
def test_pagination_edges_fall_back_to_a_real_page(client, many_posts, page, expected_first):
    response = client.get(f"/search/?q=orchid&sort=date&page={page}")

    assert response.status_code == 200
    assert result_titles(response)[0] == expected_first


def test_pagination_links_keep_query_and_filters(client, many_posts):
    html = client.get("/search/?q=orchid&topic=performance&sort=date").content.decode()

    assert 'href="?q=orchid&amp;topic=performance&amp;sort=date&amp;page=2"' in html


def compilation_with_sections(home, post):
    return factories.make_compilation(
        home,
        [
            factories.section(
                "Caching", [factories.post_entry(post, "Start here.")], anchor="caching"
            ),
            factories.section(
                "Background work",
                [
                    factories.link_entry(
                        1,
                        title="Celery in anger",
                        source="Celery docs",
                        annotation="Retries and idempotent tasks.",
                    )
                ],
                anchor="background",
                text="Queues and workers.",
            ),
        ],
    )


def test_matching_compilation_section_links_to_its_anchor(client, index):
    post = factories.make_post(index, title="A post", summary="Words.")
    compilation_with_sections(index.get_parent(), post)

    html = client.get("/search/?q=caching").content.decode()

    assert 'href="/django-at-scale-in-production/#caching"' in html
    assert '<span class="result__type">Compilation</span>' in html
    assert "#background" not in html


def test_compilation_entry_matches_on_its_own_under_its_section(client, index):
    post = factories.make_post(index, title="A post", summary="Words.")
    compilation_with_sections(index.get_parent(), post)

    for query in ["idempotent", "celery", "celery docs"]:
        html = client.get(f"/search/?q={query}").content.decode()
        section = re.search(r'<li class="result-section">.*?</li>\s*</ul>', html, re.S).group()
        assert 'href="/django-at-scale-in-production/#background"' in section, query
        assert "<mark>Celery</mark> in anger" in section or "<mark>idempotent</mark>" in section


def test_compilation_hides_entries_for_unpublished_posts(client, index):
    post = factories.make_post(index, title="Secret zebra post", summary="Words.")
    compilation_with_sections(index.get_parent(), post)
    post.unpublish()

    html = client.get("/search/?q=zebra").content.decode()

    assert "Secret zebra" not in html


def test_group_by_compilation_section(client, index, topic):
    post = factories.make_post(index, title="Marmot caching", topic=topic)
    factories.make_post(index, title="Marmot elsewhere", topic=topic)
    compilation_with_sections(index.get_parent(), post)

    html = client.get("/search/?q=marmot&group=section").content.decode()

    groups = re.findall(r'<h2 class="result-group__title">(.*?)</h2>', html, re.S)
    assert [re.sub(r"<[^>]+>", "", g) for g in groups] == ["Caching", "Not in the compilation"]


def test_did_you_mean_offers_the_closest_known_term(client, index):
    topic = factories.make_topic(name="Performance and caching", slug="perf")
    factories.make_post(index, title="Caching Django at scale", topic=topic)

    html = client.get("/search/?q=cachng").content.decode()

    assert "0 results" in html
    assert 'Did you mean <a href="/search/?q=caching">caching</a>?' in html


def test_did_you_mean_is_silent_when_nothing_is_close(client, index, topic):
    factories.make_post(index, title="Caching Django at scale", topic=topic)

    html = client.get("/search/?q=qwxzv").content.decode()

    assert "Did you mean" not in html
    assert "Nothing matched" in html


def test_promoted_results_come_first_and_are_marked(client, index, topic):
    factories.make_post(index, title="Pelican basics", topic=topic)
    promoted = factories.make_post(index, title="Editor's choice", summary="Words.", topic=topic)
    query = Query.get("pelican")
    SearchPromotion.objects.create(query=query, page=promoted, sort_order=0, description="Start.")
    SearchPromotion.objects.create(
        query=query,
        external_link_url="https://example.com/pelicans",
        external_link_text="Pelicans elsewhere",
        sort_order=1,
    )

    response = client.get("/search/?q=Pelican")
    html = response.content.decode()

    assert result_titles(response) == ["Editor's choice", "Pelicans elsewhere", "Pelican basics"]
    assert html.count("Recommended</span>") == 2


def test_promotion_of_a_private_page_is_not_shown(client, index, topic):
    factories.make_post(index, title="Pelican basics", topic=topic)
    hidden = factories.make_post(index, title="Hidden pick", topic=topic)
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="secret-words"
    )
    SearchPromotion.objects.create(query=Query.get("pelican"), page=hidden, sort_order=0)

    assert result_titles(client.get("/search/?q=pelican")) == ["Pelican basics"]


def test_searches_are_logged_for_editors(client, index, topic, editor):
    factories.make_post(index, title="Pelican basics", topic=topic)

    client.get("/search/?q=Pelican")
    client.get("/search/?q=pelican")
    client.get("/search/?q=pelican&page=2")  # paging through is not a new search
    client.get("/search/?q=emuzzz")

    assert Query.get("pelican").hits == 2
    assert ZeroResultQuery.objects.get().query_string == "emuzzz"
    assert not ZeroResultQuery.objects.filter(query_string="pelican").exists()

    client.force_login(editor)
    report = client.get("/admin/reports/search-no-results/")
    popular = client.get("/admin/searchpicks/reports/search-terms/")
    assert report.status_code == popular.status_code == 200
    assert "emuzzz" in report.content.decode()
    assert "pelican" in popular.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "caching", "page": "abc"},
        {"q": "caching", "page": "-1"},
        {"q": "caching", "page": "0"},
        {"q": "caching", "page": "99999"},
        {"q": "caching", "page": "1e9"},
        {"q": "caching", "page": "9" * 400},
        {"q": "caching", "topic": "no-such-topic"},
        {"q": "caching", "tag": "no-such-tag"},
        {"q": "caching", "sort": "sideways"},
        {"q": "caching", "group": "nonsense"},
        {"q": ["second", "caching"]},
    ],
)
def test_odd_parameters_get_a_page(client, site, params):
    response = client.get("/search/", params)

    assert response.status_code == 200
    assert "Caching data" in response.content.decode()


def test_search_page_query_count_does_not_grow_with_results(client, index, topic, settings):
    settings.SEARCH_RESULTS_SECONDS = 0  # the render itself, every time

    def count(url):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    for n in range(3):
        factories.make_post(index, title=f"Heron {n}", tags=["birds", "water"], topic=topic)
    few = count("/search/?q=heron&page=1")
    for n in range(12):
        factories.make_post(index, title=f"Heron more {n}", tags=["birds"], topic=topic)

    # View restrictions, the matches (each one's id and topic, ranked: the topic counts come
    # from the same rows), the page of posts, their tags, promotions, and three to log the
    # query, in a savepoint of its own so that a database refusing writes loses only the log
    # (the topics and the compilations' index are read once per content version).
    assert count("/search/?q=heron&page=1") == few == 10


def test_a_repeated_search_is_answered_from_the_results_cache_and_still_logged(
    client, index, topic
):
    for n in range(3):
        factories.make_post(index, title=f"Heron {n}", topic=topic)
    first = client.get("/search/?q=heron")

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/search/?q=heron")

    assert again.content == first.content
    # Only the log of the search (the "Search terms" report counts every one), in its savepoint.
    assert len(queries) <= 5
    assert Query.objects.get(query_string="heron").hits == 2


def test_a_publish_shows_in_search_results_at_once(client, index, topic):
    factories.make_post(index, title="Heron one", topic=topic)
    assert "Heron two" not in client.get("/search/?q=heron").content.decode()

    factories.make_post(index, title="Heron two", topic=topic)

    assert "Heron two" in client.get("/search/?q=heron").content.decode()


def test_signed_in_editors_get_results_rendered_for_them(client, index, topic, editor):
    factories.make_post(index, title="Heron one", topic=topic)
    anonymous = client.get("/search/?q=heron").content.decode()
    client.force_login(editor)

    signed_in = client.get("/search/?q=heron").content.decode()

    assert "wagtail-userbar" not in anonymous
    assert signed_in != anonymous


def suggested(client, q):
    """The titles suggested for `q`, without the closing "Search for" row."""
    rows = client.get("/search/suggest/", {"q": q}).json()["suggestions"]
    return [row["title"] for row in rows if row["type"] != "Search"]


def test_suggestions_are_json_with_title_url_and_type(client, index):
    topic = factories.make_topic(name="Caching layers", slug="caching-layers")
    post = factories.make_post(index, title="Caching Django at scale", topic=topic)
    factories.make_post(index, title="Something else", topic=topic)
    compilation_with_sections(index.get_parent(), post)

    data = client.get("/search/suggest/?q=Cach").json()

    assert data["query"] == "Cach"
    assert data["suggestions"] == [
        {"title": "Caching Django at scale", "url": post.url, "type": "Post"},
        {"title": "Caching", "url": "/django-at-scale-in-production/#caching", "type": "Section"},
        {"title": "Caching layers", "url": "/topics/caching-layers/", "type": "Topic"},
        {"title": "Search for “Cach”", "url": "/search/?q=Cach", "type": "Search"},
    ]


def test_suggestions_complete_the_last_word_of_several(client, index, topic):
    factories.make_post(index, title="Background tasks without surprises", topic=topic)
    factories.make_post(index, title="Background images", topic=topic)

    assert suggested(client, "background tas") == ["Background tasks without surprises"]


def test_suggestions_match_words_anywhere_in_a_title(client, index, topic):
    factories.make_post(index, title="Read replicas and database routers", topic=topic)

    assert suggested(client, "replic") == ["Read replicas and database routers"]
    assert suggested(client, "database rou") == ["Read replicas and database routers"]
    assert suggested(client, "eplicas") == []  # words, not any substring


def test_suggestions_find_posts_by_tag_and_list_the_tag(client, index, topic):
    caching = factories.make_post(index, title="Caching Django", tags=["redis"], topic=topic)
    factories.make_post(index, title="Background tasks", tags=["celery", "redis"], topic=topic)
    factories.make_post(index, title="Unrelated", tags=["forms"], topic=topic)

    rows = client.get("/search/suggest/", {"q": "redis"}).json()["suggestions"]

    assert {row["title"] for row in rows if row["type"] == "Post"} == {
        "Caching Django",
        "Background tasks",
    }
    assert {"title": "redis", "url": "/tags/redis/", "type": "Tag"} in rows
    assert caching.url in [row["url"] for row in rows]


def test_suggestions_list_a_topic_rather_than_each_of_its_posts(client, index):
    topic = factories.make_topic(name="Operations and deployment", slug="operations")
    factories.make_post(index, title="Gunicorn", topic=topic)

    assert suggested(client, "deploym") == ["Operations and deployment"]


def test_suggestions_find_n_plus_one_in_a_summary(client, index, topic):
    factories.make_post(
        index, title="The ORM", summary="Find and fix N+1 queries, and more.", topic=topic
    )
    factories.make_post(index, title="Numbers", summary="Version 1 of n things.", topic=topic)

    assert suggested(client, "n+1") == ["The ORM"]


def test_suggestions_rank_title_matches_above_tag_and_summary_matches(client, index, topic):
    factories.make_post(index, title="Queues", summary="About celery workers.", topic=topic)
    factories.make_post(index, title="Tasks", tags=["celery"], topic=topic)
    factories.make_post(index, title="Celery in production", topic=topic)

    assert suggested(client, "celery") == [
        "Celery in production",
        "celery",  # the tag
        "Tasks",
        "Queues",
    ]


def test_suggestions_list_a_post_once_when_a_section_has_its_title(client, index, topic):
    post = factories.make_post(index, title="Caching", topic=topic)
    compilation_with_sections(index.get_parent(), post)

    rows = client.get("/search/suggest/", {"q": "caching"}).json()["suggestions"]

    assert [(row["title"], row["type"]) for row in rows] == [
        ("Caching", "Post"),
        ("Search for “caching”", "Search"),
    ]


def test_suggestions_end_with_a_search_for_what_was_typed(client, index, topic):
    rows = client.get("/search/suggest/", {"q": "<b>nothing & more"}).json()["suggestions"]

    assert rows == [
        {
            "title": "Search for “<b>nothing & more”",
            "url": "/search/?q=%3Cb%3Enothing+%26+more",
            "type": "Search",
        }
    ]


def test_suggestions_stop_at_eight_before_the_search_row(client, index, topic):
    for n in range(12):
        factories.make_post(index, title=f"Heron {n}", topic=topic)

    rows = client.get("/search/suggest/", {"q": "heron"}).json()["suggestions"]

    assert len(rows) == 9
    assert rows[-1]["type"] == "Search"


def test_suggestions_need_two_characters(client, index, topic):
    factories.make_post(index, title="Caching", topic=topic)

    assert client.get("/search/suggest/?q=c").json()["suggestions"] == []
    assert client.get("/search/suggest/").json() == {"query": "", "suggestions": []}


def test_suggestions_leave_out_drafts_and_their_tags(client, index, topic):
    factories.make_post(index, title="Caching draft", live=False, tags=["cachet"], topic=topic)

    assert suggested(client, "cach") == []


def test_suggestions_follow_a_publish(client, index, topic):
    assert suggested(client, "osprey") == []

    factories.make_post(index, title="Osprey notes", topic=topic)

    assert suggested(client, "osprey") == ["Osprey notes"]


def test_suggestions_do_not_log_queries(client, index, topic):
    client.get("/search/suggest/?q=cach")

    assert not Query.objects.exists()


def test_suggest_query_count_is_fixed(client, index, topic):
    for n in range(5):
        factories.make_post(index, title=f"Caching {n}", tags=[f"tag{n}"], topic=topic)
    compilation_with_sections(index.get_parent(), factories.make_post(index, topic=topic))
    client.get("/search/suggest/?q=cach")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/suggest/?q=cach")

    # Only the request's Site (for the URLs); posts, tags, topics, sections and compilations
    # are read once per content version.
    titles = [row["title"] for row in response.json()["suggestions"]]
    assert titles[:5] == [f"Caching {n}" for n in (4, 3, 2, 1, 0)]
    assert len(queries) == 1
    assert "wagtailcore_site" in queries[0]["sql"]


def test_search_box_works_without_javascript(client, index):
    html = client.get("/").content.decode()

    assert '<form class="search-form" action="/search/" method="get" role="search"' in html
    assert re.search(r'<input id="site-search"[^>]*name="q"', html)
    assert re.search(r'<script src="[^"]*js/search\.[^"]*js" defer></script>', html)


def test_search_page_names_its_two_search_landmarks(client, index):
    html = client.get("/search/?q=cache").content.decode()

    assert 'role="search" aria-label="Site search"' in html
    assert 'role="search" aria-labelledby="search-q-label"' in html
    assert '<label id="search-q-label" for="search-q">Search the compilation' in html


def test_did_you_mean_corrects_each_word_of_a_short_query(client, index):
    topic = factories.make_topic(name="Databases", slug="databases")
    factories.make_post(index, title="Caching Django at scale", topic=topic)

    html = client.get("/search/?q=cachng+databse").content.decode()

    assert 'Did you mean <a href="/search/?q=caching%20databases">caching databases</a>?' in html


def test_did_you_mean_skips_long_queries(client, index, topic):
    factories.make_post(index, title="Caching Django at scale", topic=topic)

    html = client.get("/search/?q=cachng+one+two+three").content.decode()

    assert "Did you mean" not in html


@pytest.mark.django_db
def test_search_answers_while_the_database_refuses_writes(client, index, request):
    factories.make_post(index, title="Replica reading")
    request.getfixturevalue("read_only_database")

    response = client.get("/search/", {"q": "replica"})

    assert response.status_code == 200
    assert "Replica reading" in response.content.decode()


@pytest.mark.django_db
def test_searches_beyond_the_limit_get_429_with_retry_after(client, index, settings):
    settings.SEARCH_REQUESTS_PER_MINUTE = 3
    answers = [client.get("/search/", {"q": f"word{n}"}) for n in range(4)]

    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    assert 1 <= int(answers[-1]["Retry-After"]) <= 60
    assert client.get("/search/").status_code == 200  # the empty form is not counted


@pytest.mark.django_db
def test_suggestions_beyond_the_limit_get_a_json_429(client, index, settings):
    settings.SUGGEST_REQUESTS_PER_MINUTE = 2
    answers = [client.get("/search/suggest/", {"q": "dja"}) for _ in range(3)]

    assert [r.status_code for r in answers] == [200, 200, 429]
    assert answers[-1].json()["suggestions"] == []
    assert "Retry-After" in answers[-1]


@pytest.mark.django_db
def test_search_limits_count_each_address_behind_trusted_proxies(client, index, settings):
    settings.SEARCH_REQUESTS_PER_MINUTE = 1
    settings.TRUSTED_PROXY_COUNT = 1

    first = client.get("/search/", {"q": "a1"}, HTTP_X_FORWARDED_FOR="203.0.113.1")
    other = client.get("/search/", {"q": "a2"}, HTTP_X_FORWARDED_FOR="203.0.113.2")
    again = client.get("/search/", {"q": "a3"}, HTTP_X_FORWARDED_FOR="203.0.113.1")

    assert [first.status_code, other.status_code, again.status_code] == [200, 200, 429]


@pytest.mark.django_db
def test_the_no_result_log_keeps_a_short_text(client, index):
    client.get("/search/", {"q": " ".join(["zzzzzzzzzzzzzzzzzz"[:10] + str(n) for n in range(12)])})

    assert all(len(q.query_string) <= 100 for q in ZeroResultQuery.objects.all())
    assert ZeroResultQuery.objects.count() == 1


@pytest.mark.django_db
def test_the_no_result_log_drops_old_and_excess_searches(monkeypatch):
    import datetime

    from django.utils import timezone

    from search import models

    monkeypatch.setattr(models, "MAX_ROWS", 3)
    old = ZeroResultQuery.objects.create(
        query_string="stale", last_searched_at=timezone.now() - datetime.timedelta(days=365)
    )
    for text in ("one", "two", "three", "four"):
        ZeroResultQuery.record(text)

    kept = set(ZeroResultQuery.objects.values_list("query_string", flat=True))
    assert kept == {"two", "three", "four"}
    assert not ZeroResultQuery.objects.filter(pk=old.pk).exists()
