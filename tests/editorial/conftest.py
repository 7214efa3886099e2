"""A compilation whose sections were reviewed at different times, for the editorial tests."""

import datetime

import pytest
from django.utils import timezone

from tests import factories

TODAY = timezone.localdate()
FRESH = TODAY - datetime.timedelta(days=100)
A_YEAR_AGO = TODAY - datetime.timedelta(days=365)
OLD = TODAY - datetime.timedelta(days=366)


def section_reviewed(heading, reviewed):
    block = factories.section(heading, [factories.link_entry(1)])
    block["value"]["reviewed"] = reviewed
    return block


@pytest.fixture
def compilation(home):
    return factories.make_compilation(
        home,
        [
            section_reviewed("Fresh", FRESH.isoformat()),
            section_reviewed("Exactly a year", A_YEAR_AGO.isoformat()),
            section_reviewed("Old", OLD.isoformat()),
            section_reviewed("Never", None),
        ],
    )
