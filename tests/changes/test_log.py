"""A compilation's publishes read from its revisions (changes/log.py)."""

import pytest

from changes import diff, log
from tests import factories


@pytest.fixture
def compilation(home):
    return factories.make_compilation(home, [factories.section("Caching", [])])


def add_section(compilation, heading):
    sections = [*compilation.body.raw_data, factories.section(heading, [])]
    return factories.publish_sections(compilation, sections)


@pytest.mark.django_db
def test_publishes_are_newest_first_each_with_its_changes(compilation):
    add_section(compilation, "Databases")

    publishes = log.publishes(compilation)
    assert [[c.heading for c in p.changes] for p in publishes] == [["Databases"], ["Caching"]]
    assert publishes[0].published_at >= publishes[1].published_at


@pytest.mark.django_db
def test_a_publish_that_changes_no_section_or_entry_is_left_out(compilation):
    compilation.title = "A new title"
    factories.publish(compilation)

    assert len(log.publishes(compilation)) == 1


@pytest.mark.django_db
def test_the_oldest_kept_publish_is_compared_with_the_one_before(compilation, monkeypatch):
    for heading in ("Databases", "Deployment", "Security"):
        add_section(compilation, heading)
    monkeypatch.setattr(log, "LOG_PUBLISHES", 2)

    publishes = log.publishes(compilation)
    assert [[(c.kind, c.heading) for c in p.changes] for p in publishes] == [
        [(diff.SECTION_ADDED, "Security")],
        [(diff.SECTION_ADDED, "Deployment")],
    ]
