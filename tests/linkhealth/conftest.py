"""The local link server and a checked site, for the link health tests (nothing leaves the
machine)."""

import pytest

from linkhealth.checker import Checker, run_check
from tests import factories
from tests.link_server import LinkServer, free_port


@pytest.fixture
def server():
    server = LinkServer(slow_seconds=3.0)
    yield server
    server.stop()


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
