"""make cluster (deploy/cluster.py) runs PostgreSQL as the postgres user on data under var/cluster/:
a checkout that user cannot enter is named at start, not left to a failing initdb."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from deploy import cluster

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("runuser") is None,
    reason="needs root and runuser, as make cluster does",
)


@pytest.fixture
def searchable():
    """A folder every user may enter (pytest's own tmp_path is private to its user)."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        folder.chmod(0o755)
        yield folder


def test_postgres_reaches_a_folder_every_user_may_search(searchable):
    folder = searchable / "var" / "cluster"
    folder.mkdir(parents=True)

    assert cluster.postgres_can_reach(folder)


def test_postgres_cannot_reach_a_folder_below_a_private_one(searchable):
    private = searchable / "private"
    folder = private / "clone" / "var" / "cluster"
    folder.mkdir(parents=True)
    private.chmod(0o700)  # as /root is

    assert not cluster.postgres_can_reach(folder)
