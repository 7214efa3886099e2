"""Sections due for review (editorial/review.py): reviewed more than a year ago, or never."""

import pytest

from editorial.review import stale_sections
from tests.editorial.conftest import OLD, TODAY


@pytest.mark.django_db
def test_sections_older_than_a_year_or_never_reviewed_are_due(compilation):
    due = stale_sections(compilation, today=TODAY)

    assert due == [("Old", OLD), ("Never", None)]
