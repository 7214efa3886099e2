"""Search latency on PostgreSQL at 1,000 and 10,000 posts, beside a plain page render.

    make bench-search            # or: .venv/bin/python bench/search.py

It (re)creates a separate database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/wt_search_bench), migrates it, loads the seed site, adds
synthetic posts with a technical vocabulary, indexes them, and times in-process requests (Django's
test client: the full middleware and template stack, no network) for a fixed mix of queries. The
figures go into docs/PERFORMANCE.md between the search markers; the rest of the file is kept.
"""

import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import splice_section  # noqa: E402 - once the project is importable

BENCH_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wt_search_bench"
)
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_project.settings.test")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# The search itself, every time: a repeated query would otherwise come from the results cache.
os.environ.setdefault("SEARCH_RESULTS_SECONDS", "0")

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000,10000").split(",")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
SEED = 20261125
START, END = "<!-- search:start -->", "<!-- search:end -->"

# The fixed query mix: common and rare hits, misses (with "did you mean"), several words.
SEARCH_QUERIES = [
    "caching",
    "database index",
    "gunicorn workers",
    "connection pooling postgresql",
    "migration",
    "celery retries idempotent",
    "throughput",
    "cachng",
    "zzyzx quuxly",
    "template fragment cache invalidation",
]
# What a reader has typed so far: prefixes of one or several words, and a miss.
SUGGEST_QUERIES = ["ca", "cach", "data", "migr", "gunicorn w", "post", "sec", "zzq"]

# Words cluster by topic, as they do on a real site: a post draws most of its technical words
# from its own topic's list and the rest from all of them.
TOPIC_WORDS = {
    "performance": """cache caching invalidation key redis memcached fragment template view latency
        throughput percentile profiling memory cpu load balancer queryset select_related""",
    "database": """index btree gin trigram vacuum analyze explain plan postgresql table column row
        lock migration schema transaction atomic savepoint replica primary partition shard
        denormalize aggregate annotate subquery window json connection pooling pgbouncer""",
    "operations": """deploy gunicorn worker thread process nginx static files whitenoise storage
        media upload container kubernetes docker image release rollback backup restore logging
        metrics tracing sentry alert dashboard settings environment request response""",
    "security": """secret security csrf xss header cookie session authentication permission admin
        password token https certificate clickjacking injection sanitise escape""",
    "architecture": """api endpoint rest serializer throttle version router middleware signal celery
        task queue broker retry idempotent timeout feature flag service module boundary""",
    "quality": """test fixture factory coverage pytest assertion mock regression suite parallel
        flaky snapshot benchmark review lint type check continuous integration""",
}
TOPIC_WORDS = {slug: words.split() for slug, words in TOPIC_WORDS.items()}
VOCABULARY = sorted({word for words in TOPIC_WORDS.values() for word in words})
FILLER = """
the a of to and in is it that for on with as this we you are be by at or from when your can
not one but all more if they will there so what which their about into how out up only then
""".split()


def ensure_database():
    import psycopg

    name = BENCH_URL.rsplit("/", 1)[1]
    if "bench" not in name:
        # The database is dropped and rebuilt: refuse anything not obviously a scratch database.
        raise SystemExit(
            f"BENCH_DATABASE_URL must name a scratch database with 'bench' in it, not {name!r}"
        )
    admin_url = BENCH_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def sentence(rng, words_of_topic):
    words = []
    for _ in range(rng.randint(8, 18)):
        if rng.random() < 0.65:
            words.append(rng.choice(FILLER))
        elif rng.random() < 0.9:
            # A Zipf-like skew inside the topic: a few words carry most of its text.
            rank = min(int(rng.paretovariate(1.2)) - 1, len(words_of_topic) - 1)
            words.append(words_of_topic[rank])
        else:
            words.append(rng.choice(VOCABULARY))
    return " ".join(words).capitalize() + "."


def synthetic_body(rng, words_of_topic):
    blocks = []
    for _ in range(rng.randint(3, 5)):
        heading = " ".join(rng.sample(words_of_topic, 2)).capitalize()
        paragraphs = [
            " ".join(sentence(rng, words_of_topic) for _ in range(rng.randint(4, 7)))
            for _ in range(2)
        ]
        blocks.append(
            {
                "type": "markdown",
                "value": f"## {heading}\n\n" + "\n\n".join(paragraphs),
                "id": str(uuid.uuid4()),
            }
        )
    blocks.append(
        {
            "type": "code",
            "value": {
                "language": "python",
                "filename": "",
                "source": f"{words_of_topic[0]} = {words_of_topic[1]}({words_of_topic[2]!r})\n",
            },
            "id": str(uuid.uuid4()),
        }
    )
    return blocks


def add_posts(count, start):
    """Add `count` live posts under /posts/ in bulk (no revisions), then index them."""
    import json

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from taggit.models import Tag
    from wagtail.models import Locale, Page
    from wagtail.search.backends import get_search_backend

    from blog.models import Author, Topic, TopicIndexPage, TopicPostPage, TopicPostTag

    rng = random.Random(SEED + start)  # noqa: S311 - repeatable synthetic text, not secrets
    # The synthetic posts are English: the English listing, topics and authors (the seed's
    # translations share their slugs).
    locale = Locale.get_default()
    index = TopicIndexPage.objects.get(slug="posts", locale=locale)
    topics = {t.slug: t for t in Topic.objects.filter(slug__in=TOPIC_WORDS, locale=locale)}
    authors = list(Author.objects.filter(locale=locale))
    content_type = ContentType.objects.get_for_model(TopicPostPage)
    now = timezone.now()

    tags = [Tag.objects.get_or_create(name=w, slug=w)[0] for w in VOCABULARY[:40]]
    with transaction.atomic():
        index = TopicIndexPage.objects.select_for_update().get(pk=index.pk)
        first_child = index.numchild + 1
        pages, post_topics = [], []
        for n in range(count):
            number = start + n
            topic_slug = rng.choice(sorted(topics))
            words_of_topic = TOPIC_WORDS[topic_slug]
            # Each post orders its topic's words its own way, so no single word dominates.
            words_of_topic = rng.sample(words_of_topic, len(words_of_topic))
            post_topics.append((topics[topic_slug], words_of_topic))
            title = " ".join(words_of_topic[:3]).capitalize() + f" {number}"
            slug = f"synthetic-{number}"
            pages.append(
                Page(
                    path=Page._get_path(index.path, index.depth + 1, first_child + n),
                    depth=index.depth + 1,
                    numchild=0,
                    title=title,
                    draft_title=title,
                    slug=slug,
                    url_path=f"{index.url_path}{slug}/",
                    content_type=content_type,
                    live=True,
                    first_published_at=now,
                    last_published_at=now,
                    locale=locale,
                    translation_key=uuid.uuid4(),
                )
            )
        Page.objects.bulk_create(pages, batch_size=1000)
        rows = []
        for page, (topic, words_of_topic) in zip(pages, post_topics, strict=True):
            rows.append(
                (
                    page.pk,
                    sentence(rng, words_of_topic),
                    f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    json.dumps(synthetic_body(rng, words_of_topic)),
                    topic.pk,
                )
            )
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO blog_topicpostpage "
                "(page_ptr_id, summary, date, body, topic_id, applies_to) "
                "VALUES (%s, %s, %s, %s, %s, '')",
                rows,
            )
        TopicPostTag.objects.bulk_create(
            [
                TopicPostTag(content_object_id=page.pk, tag=tag)
                for page in pages
                for tag in rng.sample(tags, 2)
            ],
            batch_size=2000,
        )
        through = TopicPostPage.authors.through
        through.objects.bulk_create(
            [through(topicpostpage_id=page.pk, author_id=authors[0].pk) for page in pages],
            batch_size=2000,
        )
        Page.objects.filter(pk=index.pk).update(numchild=index.numchild + count)
    backend = get_search_backend()
    ids = [page.pk for page in pages]
    for chunk_start in range(0, len(ids), 500):
        chunk = list(
            TopicPostPage.objects.filter(pk__in=ids[chunk_start : chunk_start + 500])
            .select_related("topic")
            .prefetch_related("tags", "authors")
        )
        backend.add_bulk(TopicPostPage, chunk)
    # Bulk indexing leaves a dead row behind every index entry (modelsearch writes each one, then
    # updates its title norm); autovacuum clears them on a running site within a minute or so.
    # Measure that steady state, not the moment after a bulk load.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def percentiles(samples):
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return statistics.median(ordered) * 1000, p95 * 1000


def check(response, url):
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")


def timed(client, urls, rounds, per_url=None):
    samples = []
    for url in urls:  # warm each URL once, as a running server would be
        check(client.get(url), url)
    for _ in range(rounds):
        for url in urls:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
            samples.append(elapsed)
            if per_url is not None:
                per_url.setdefault(url, []).append(elapsed)
            check(response, url)
    return percentiles(samples)


def measure(size):
    from urllib.parse import quote

    from django.test import Client

    from blog.models import TopicPostPage

    client = Client()
    per_query = {}
    posts = list(TopicPostPage.objects.order_by("-pk").values_list("url_path", flat=True)[:5])
    page_urls = ["/posts/" + path.rstrip("/").rsplit("/", 1)[1] + "/" for path in posts]
    return {
        "size": size,
        "baseline": timed(client, page_urls, ROUNDS * 2),
        "search": timed(
            client, [f"/search/?q={quote(q)}" for q in SEARCH_QUERIES], ROUNDS, per_query
        ),
        "suggest": timed(
            client, [f"/search/suggest/?q={quote(q)}" for q in SUGGEST_QUERIES], ROUNDS * 2
        ),
        "per_query": {url: percentiles(samples) for url, samples in per_query.items()},
        "matches": {q: matching_posts(q) for q in SEARCH_QUERIES},
        "load": os.getloadavg()[0],
    }


def matching_posts(text):
    from search.results import search_posts
    from search.text import parse_query

    return sum(search_posts(parse_query(text))[1].values())


def write_report(rows, seconds):
    import platform
    from urllib.parse import quote

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    lines = [
        START,
        "## Search latency",
        "",
        f"`make bench-search` (bench/search.py), {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} "
        f"UTC: PostgreSQL {pg_version}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {seconds:.0f} s for the whole run. In-process requests through "
        "the full middleware and template stack (no network, no page cache), after one warm-up "
        f"request per URL; {ROUNDS} rounds of {len(SEARCH_QUERIES)} search queries "
        f'(hits, misses with "did you mean", several words) and {ROUNDS * 2} rounds of '
        f"{len(SUGGEST_QUERIES)} suggestion prefixes. The baseline renders post pages.",
        "",
        "| posts | page render p50 / p95 | search p50 / p95 | suggest p50 / p95 "
        "| search p95 ÷ page p95 |",
        "|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        (b50, b95), (s50, s95), (g50, g95) = row["baseline"], row["search"], row["suggest"]
        lines.append(
            f"| {row['size']:,} | {b50:.1f} / {b95:.1f} ms | {s50:.1f} / {s95:.1f} ms "
            f"| {g50:.1f} / {g95:.1f} ms | {s95 / b95:.1f}× |"
        )
    last = rows[-1]
    lines += [
        "",
        f"Per query at {last['size']:,} posts (search page p50 / p95, and how many posts match):",
        "",
        "| query | matching posts | p50 / p95 |",
        "|---|---:|---:|",
    ]
    for query in SEARCH_QUERIES:
        p50, p95 = next(v for url, v in last["per_query"].items() if url.endswith(quote(query)))
        lines.append(f"| `{query}` | {last['matches'][query]:,} | {p50:.1f} / {p95:.1f} ms |")
    lines += [
        "",
        "One-minute load average while measuring: "
        + ", ".join(f"{row['load']:.1f} at {row['size']:,} posts" for row in rows)
        + f" (on {os.cpu_count()} CPUs shared with other work: the page-render baseline in the"
        " same run is the yardstick, not the absolute numbers).",
    ]
    if len(rows) >= 2:
        growth = rows[-1]["search"][1] / rows[0]["search"][1]
        suggest_growth = rows[-1]["suggest"][1] / rows[0]["suggest"][1]
        lines += [
            "",
            f"Search p95 at {rows[-1]['size']:,} posts is {growth:.1f}× its p95 at "
            f"{rows[0]['size']:,} (suggestions: {suggest_growth:.1f}×). Targets: search p95 under "
            "50 ms at 10,000 posts, suggestion p95 under 20 ms, growth under 3×.",
        ]
    lines.append(END)
    section = "\n".join(lines)
    splice_section(section)
    return section


def main():
    started = time.perf_counter()
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_compilation", stdout=quiet)
    rows, have = [], 0
    for size in SIZES:
        print(f"Adding {size - have:,} posts (to {size:,})…", flush=True)
        add_posts(size - have, have)
        have = size
        print(f"Measuring at {size:,} posts…", flush=True)
        rows.append(measure(size))
    section = write_report(rows, time.perf_counter() - started)
    print(section)


if __name__ == "__main__":
    main()
