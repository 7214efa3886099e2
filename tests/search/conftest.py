"""A post to search for, shared by the search tests."""

import pytest

from tests import factories


@pytest.fixture
def site(index):
    topic = factories.make_topic(name="Data", slug="data")
    factories.make_post(index, title="Caching data", summary="Words about caching.", topic=topic)
    return index
