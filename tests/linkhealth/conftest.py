"""The local link server, a site linking to every answer it gives, and a way to run check_links,
for the link health tests. Every request goes to tests/link_server.py on 127.0.0.1; nothing
leaves the machine."""

import io

import pytest
from django.core.management import call_command

from linkhealth.checker import Checker, run_check
from linkhealth.models import LinkCheck
from tests import factories
from tests.link_server import LinkServer, free_port

PATHS = ["/ok", "/moved", "/twice", "/missing", "/error", "/no-head", "/slow", "/loop"]


def run(*args):
    out = io.StringIO()
    call_command(
        "check_links", "--read-timeout", "0.5", "--connect-timeout", "1", *args, stdout=out
    )
    return out.getvalue()


def outcome(url):
    return LinkCheck.objects.get(url=url)


@pytest.fixture
def server():
    server = LinkServer(slow_seconds=3.0)
    yield server
    server.stop()


@pytest.fixture
def site_links(home, index, server):
    """A live compilation and a live post linking to every kind of answer the server gives."""
    refused = f"http://127.0.0.1:{free_port()}/refused"
    entries = [
        factories.link_entry(n, url=server.url(path), title=f"Link {path}")
        for n, path in enumerate(PATHS)
    ]
    entries.append(factories.link_entry(99, url=refused, title="Nobody home"))
    compilation = factories.make_compilation(
        home, [factories.section("Caching", entries, anchor="caching")]
    )
    post = factories.make_post(
        index,
        title="A post with links",
        body=[
            {"type": "markdown", "value": f"## Reading\n\nSee [the docs]({server.url('/ok')})."},
        ],
    )
    return {"compilation": compilation, "post": post, "refused": refused}


@pytest.fixture
def checked(home, index, server):
    """A compilation whose entries answer 200, 301, 404 and refuse; a post linking to a 500."""
    refused = f"http://127.0.0.1:{free_port()}/refused"
    entries = [
        factories.link_entry(1, url=server.url("/ok"), title="Fine"),
        factories.link_entry(2, url=server.url("/moved"), title="Moved"),
        factories.link_entry(3, url=server.url("/missing"), title="Gone"),
        factories.link_entry(4, url=refused, title="Nobody home"),
    ]
    compilation = factories.make_compilation(
        home, [factories.section("Caching", entries, anchor="caching")]
    )
    post = factories.make_post(
        index,
        title="Post with a bad link",
        body=[{"type": "markdown", "value": f"## Ops\n\n[Status]({server.url('/error')})"}],
    )
    run_check(Checker(read_timeout=2))
    return {"compilation": compilation, "post": post, "refused": refused}
