"""Bad input on every public URL (serving/public_requests.py and the views behind it): a 400, 404
or 405 (or a normal page), never a 5xx, never reflected markup.

The sweep covers every public URL: pages, feeds, topic and tag archives, share images, the
sitemap, robots.txt, the API, search and its suggestions, and /healthz.
"""

import collections

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from tests import factories

# Every public URL; <slug>s are filled from the content built below.
CONTRACT = [
    "/",
    "/django-at-scale-in-production/",
    "/posts/",
    "/posts/a-real-post/",
    "/topics/database/",
    "/tags/orm/",
    "/search/",
    "/search/suggest/",
    "/feed/",
    "/feed/atom/",
    "/topics/database/feed/",
    "/topics/database/feed/atom/",
    "/tags/orm/feed/",
    "/tags/orm/feed/atom/",
    "/share/logo.png",
    "/sitemap.xml",
    "/robots.txt",
    "/api/v2/",
    "/api/v2/pages/",
    "/healthz",
    "/admin/",
]
PUBLIC = [url for url in CONTRACT if not url.startswith("/admin/")]

# Markup that must never come back unescaped in an HTML or XML response.
MARKERS = ["<script>alert(7)", "<svg onload=alert(7)>", "<img src=x onerror=alert(7)>"]
HOSTILE = '<script>alert(7)</script>"><svg onload=alert(7)><img src=x onerror=alert(7)>'
HOSTILE_QUOTED = (
    "%3Cscript%3Ealert(7)%3C%2Fscript%3E%22%3E%3Csvg%20onload%3Dalert(7)%3E"
    "%3Cimg%20src%3Dx%20onerror%3Dalert(7)%3E"
)

QUERIES = [
    "page=abc",
    "page=-1",
    "page=0",
    "page=1.5",
    "page=99999999999999999999999999",
    "page=1e400",
    "page=1&page=2&page=last",
    f"q={HOSTILE_QUOTED}",
    f"q={HOSTILE_QUOTED}&topic={HOSTILE_QUOTED}&tag={HOSTILE_QUOTED}&page={HOSTILE_QUOTED}",
    "q=%ZZ%G1%",
    "q=%C0%AF%FF%FE",
    "q=%F0%9F%92%A9%E2%80%AE",
    "q=" + "a" * 5000,
    "q=x&q=y&q=" + "z" * 300,
    "topic=" + "t" * 500 + "&tag=" + "g" * 500,
    "q%5B%5D=1&topic%5B%5D=2&tag[x]=3",
    "unknown=1&utm_source=mail&fbclid=abc",
    "callback=" + HOSTILE_QUOTED + "&format=json&limit=-5&offset=abc",
    "limit=99999999999&offset=-1&order=" + HOSTILE_QUOTED + "&fields=*",
    "q='%3B%20DROP%20TABLE%20wagtailcore_page%3B--",
    "q=..%2F..%2F..%2Fetc%2Fpasswd",
    "q=%00",
    "page=%00&topic=a%00b",
    "next=" + HOSTILE_QUOTED,
    "&&&==&=&",
]

PATHS = [
    f"/posts/{HOSTILE_QUOTED}/",
    "/posts/%ZZ/",
    "/posts/%C0%AF/",
    "/posts/%FF%FE%00/",
    "/posts/a%00b/",
    "/posts/" + "a" * 3000 + "/",
    "/posts/" + "x/" * 400,
    "/" + "b" * 255 + "/",
    "//posts//",
    "/posts/../../etc/passwd",
    "/posts/%2e%2e/%2e%2e/etc/passwd",
    "/posts/..%2f..%2fetc%2fpasswd/",
    "/.env",
    "/.env.example",
    "/.git/",
    "/.git/config",
    "/.git/HEAD",
    "/static/../manage.py",
    "/static/%2e%2e/%2e%2e/manage.py",
    "/static/..%2f..%2fsite_project/settings/base.py",
    "/media/../var/db.sqlite3",
    "/documents/../../etc/passwd",
    "/documents/999999999999999999999/x.pdf",
    "/documents/abc/x/",
    f"/topics/{HOSTILE_QUOTED}/",
    "/topics/%F0%9F%92%A9/",
    "/tags/'%20OR%201=1%20--/",
    f"/tags/{HOSTILE_QUOTED}/",
    "/feed/;jsessionid=1",
    "/sitemap.xml/../",
    "/share/99999999999999999999.png",
    "/share/-1.png",
    f"/share/{HOSTILE_QUOTED}.png",
    "/sitemap-99999.xml",
    "/healthz/",
    "/api/v2/pages/99999999999999999999/",
    "/api/v2/pages/abc/",
    f"/api/v2/pages/?type={HOSTILE_QUOTED}",
    "/api/v2/pages/?type=auth.User&fields=password",
    "/api/v2/pages/?search=%00",
    "/admin/pages/99999999999999999999/",
    f"/admin/login/?next={HOSTILE_QUOTED}",
    "/admin/login/?next=%00",
    "/wp-login.php",
    "/index.php?s=%3Cscript%3E",
    "/cgi-bin/%2e%2e/%2e%2e/bin/sh",
]

METHODS = ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"]

# Hosts outside ALLOWED_HOSTS (or not valid host names at all): 400 on every URL.
BAD_HOSTS = [
    "evil.example",
    "localhost.evil.example",
    "127.0.0.1@evil.example",
    "exa mple",
    "[::1",
    "",
    "a" * 300,
    "LOCALHOST..",
    "localhost\r\nX-Injected: 1",
]
# Odd but allowed: Django matches the host name whatever the port, in any letter case.
ODD_ALLOWED_HOSTS = ["localhost:99999", "LocalHost", "127.0.0.1:0"]


@pytest.fixture
def site(index):
    """Enough content that every pattern with a slug has a real page behind it."""
    topic = factories.make_topic(name="Databases", slug="database")
    post = factories.make_post(index, slug="a-real-post", topic=topic, tags=["orm"])
    home = index.get_parent().specific
    compilation = factories.make_compilation(
        home, [factories.section("Caching", [factories.post_entry(post)])]
    )
    home.featured_compilation = compilation
    factories.publish(home)
    return post


def bad_requests():
    """(method, path, query, host) for every bad request the sweep sends."""
    requests = []
    for url in CONTRACT:
        requests += [("GET", url, query, "localhost") for query in QUERIES]
        requests += [("HEAD", url, QUERIES[7], "localhost")]
        requests += [("GET", url, "", host) for host in BAD_HOSTS[:3]]
    requests += [("GET", path, "", "localhost") for path in PATHS]
    for url in PUBLIC:
        requests += [(method, url, "", "localhost") for method in METHODS]
    requests += [("GET", "/", "", host) for host in BAD_HOSTS + ODD_ALLOWED_HOSTS]
    return requests


def send(client, method, path, query, host):
    return client.generic(method, path, QUERY_STRING=query, HTTP_HOST=host)


def is_markup(response):
    content_type = response.get("Content-Type", "")
    return not content_type.startswith(("application/json", "application/octet-stream"))


def problems(response, method, path, query, host):
    """What is wrong with one answer, as a list of strings (empty when it is fine)."""
    found = []
    where = f"{method} {path[:80]}?{query[:60]} Host={host[:30]!r} -> {response.status_code}"
    if response.status_code >= 500:
        found.append(f"server error: {where}")
    body = response.content.decode("utf-8", "replace").lower()
    if is_markup(response) and any(marker.lower() in body for marker in MARKERS):
        found.append(f"reflected markup: {where}")
    # /healthz answers before host checks on purpose: load balancers probe it by IP address.
    # It reflects nothing and says only "ok" or "unavailable".
    if host in BAD_HOSTS and response.status_code != 400 and path != "/healthz":
        found.append(f"unknown host not refused: {where}")
    if method not in ("GET", "HEAD") and not path.startswith("/admin/"):
        if response.status_code != 405:
            found.append(f"write method not refused: {where}")
    return found


@pytest.mark.django_db
def test_sweep_of_bad_requests_over_every_public_url(site):
    client = Client(raise_request_exception=False)
    requests = bad_requests()
    outcomes = collections.Counter()
    failures = []

    for method, path, query, host in requests:
        response = send(client, method, path, query, host)
        outcomes[response.status_code] += 1
        failures += problems(response, method, path, query, host)

    print(f"\n{len(requests)} bad requests: {dict(sorted(outcomes.items()))}")  # noqa: T201
    assert len(requests) >= 60
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/posts/", "/posts/a-real-post/", "/search/?q=orm"])
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_public_pages_refuse_writes_with_405(client, site, url, method):
    response = client.generic(method, url, "q=orm")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_only_a_compilations_suggestion_form_takes_a_post(client, site):
    form = "/django-at-scale-in-production/suggest/"

    # Past request hygiene, the form answers the empty post with its own errors.
    assert client.post(form, {}).status_code == 200
    assert client.put(form).status_code == 405
    assert client.post("/search/suggest/", {"q": "orm"}).status_code == 405
    assert client.post("/fr/search/suggest/", {"q": "orm"}).status_code == 405


@pytest.mark.django_db
def test_head_on_a_public_page_answers_like_get_without_a_body(client, site):
    response = client.head("/posts/a-real-post/")

    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.django_db
def test_admin_login_still_accepts_posts(client, site):
    response = client.post("/admin/login/", {"username": "nobody", "password": "x" * 12})

    assert response.status_code == 200
    assert "Your username and password didn" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/posts/a%00b/", "/posts/?tag=a%00b", "/search/?q=%00"])
def test_nul_bytes_get_400(client, site, url):
    assert client.get(url).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999999999999999999999999"])
def test_odd_page_numbers_still_show_the_listing(client, site, page):
    response = client.get("/posts/", {"page": page})

    assert response.status_code == 200
    assert "Post " in response.content.decode() or "a-real-post" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/.env",
        "/.git/",
        "/.git/config",
        "/posts/../../etc/passwd",
        "/posts/%2e%2e/%2e%2e/etc/passwd",
        "/static/../manage.py",
        "/static/%2e%2e/%2e%2e/manage.py",
        "/media/../var/db.sqlite3",
        "/documents/../../etc/passwd",
    ],
)
def test_secrets_and_traversal_paths_are_404(client, site, path):
    response = client.get(path)

    assert response.status_code == 404
    assert b"SECRET_KEY" not in response.content and b"[core]" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("url", [url for url in CONTRACT if url != "/healthz"])
def test_unknown_host_gets_400_on_every_url(client, site, url):
    assert client.get(url, HTTP_HOST="evil.example").status_code == 400


@pytest.mark.django_db
def test_password_protected_pages_still_accept_their_password(client, site):
    restriction = PageViewRestriction.objects.create(
        page=site, restriction_type=PageViewRestriction.PASSWORD, password="open sesame"
    )
    form = client.get(site.url)
    assert form.status_code == 200 and 'name="password"' in form.content.decode()
    action = f"/_util/authenticate_with_password/{restriction.pk}/{site.pk}/"

    response = client.post(action, {"password": "open sesame", "return_url": site.url})

    assert response.status_code == 302
    assert 'name="password"' not in client.get(site.url).content.decode()
