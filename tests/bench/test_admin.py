"""`make bench-admin` (bench/admin.py): the larger compilations it builds through the Markdown
files, when it counts a page as usable, the table it writes, and one quick run in Chromium."""

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from bench import admin, common
from bench.local_site import CHROMIUM
from blog.models import CompilationPage

ROOT = Path(__file__).resolve().parents[2]

SMALL = """---
type: compilation
title: Small
slug: small
---
The intro.

## First
<!--
anchor: first
-->

Text.

<!-- entries -->
- [One](<post:one>) — The first.
- [Two](<https://example.org/two>) · Example — The second.

## Second
<!--
anchor: second
-->

<!-- entries -->
- [Three](<post:three>) — The third.
"""


def _entries_by_section(text):
    sections = {}
    heading = None
    for line in text.split("\n"):
        if line.startswith("## "):
            heading = line[3:]
        elif line.startswith("- ") and heading:
            sections.setdefault(heading, []).append(line)
    return sections


def test_a_grown_file_holds_the_asked_number_of_entries_each_in_its_own_section():
    grown = admin.grow(SMALL, 10, "small-10-entries", "Small (10 entries)")

    assert admin.count_entries(grown) == 10
    sections = _entries_by_section(grown)
    assert len(sections["First"]) == 7 and len(sections["Second"]) == 3
    assert set(sections["First"]) == {
        "- [One](<post:one>) — The first.",
        "- [Two](<https://example.org/two>) · Example — The second.",
    }
    assert set(sections["Second"]) == {"- [Three](<post:three>) — The third."}


def test_a_grown_file_has_its_own_slug_and_title_and_keeps_the_rest():
    grown = admin.grow(SMALL, 4, "small-4-entries", "Small (4 entries)")

    assert "\nslug: small-4-entries\n" in grown
    assert '\ntitle: "Small (4 entries)"\n' in grown
    assert "slug: small\n" not in grown
    assert "The intro.\n\n## First\n<!--\nanchor: first\n-->\n\nText." in grown


def test_a_file_is_not_shrunk():
    with pytest.raises(ValueError, match="already has 3 entries"):
        admin.grow(SMALL, 2, "small-2", "Small")


def test_shares_add_up_to_the_total_in_proportion():
    assert admin.shares([5, 3, 2], 100) == [50, 30, 20]
    assert sum(admin.shares([5, 4, 6, 7], 1000)) == 1000
    assert admin.shares([1, 1, 1], 4) in ([2, 1, 1], [1, 2, 1], [1, 1, 2])


def test_a_grown_copy_of_the_seed_imports_as_a_compilation_of_its_own(db, tmp_path):
    call_command("load_compilation", stdout=io.StringIO())
    call_command("export_markdown", str(tmp_path / "before"), stdout=io.StringIO())
    seed = (tmp_path / "before" / f"{admin.SEED_SLUG}.md").read_text(encoding="utf-8")
    copy = tmp_path / "copy.md"
    copy.write_text(admin.grow(seed, 150, "seed-150", "The seed, 150 entries"), encoding="utf-8")

    call_command("import_markdown", str(copy), "--publish", stdout=io.StringIO())
    call_command("export_markdown", str(tmp_path / "after"), stdout=io.StringIO())

    after = tmp_path / "after"
    assert admin.count_entries((after / "seed-150.md").read_text(encoding="utf-8")) == 150
    assert (after / f"{admin.SEED_SLUG}.md").read_text(encoding="utf-8") == seed


# The editing units and the server's share.


def test_the_editing_units_are_the_compilation_and_its_largest_section(seeded, editor, client):
    compilation = CompilationPage.objects.get(slug=admin.SEED_SLUG, locale__language_code="en")
    sizes = {s.title: len(s.entries.raw_data) for s in compilation.section_pages()}
    client.force_login(editor)

    units = admin.editing_units(client, [(admin.SEED_SLUG, 95)])

    compilation_unit, section_unit = units[admin.SEED_SLUG]
    assert compilation_unit["unit"] == "compilation" and compilation_unit["entries"] == 95
    assert compilation_unit["path"] == f"/admin/pages/{compilation.pk}/edit/"
    # The child with the biggest edit view is a section with the most entries.
    title = section_unit["unit"].removeprefix("largest child: ")
    assert sizes[title] == max(sizes.values())
    assert re.fullmatch(r"/admin/pages/\d+/edit/", section_unit["path"])
    assert section_unit["path"] != compilation_unit["path"]
    assert all(u["queries"] > 0 and u["server_ms"] > 0 for u in (compilation_unit, section_unit))


def test_a_compilation_without_children_is_one_editing_unit(seeded, editor, client):
    compilation = CompilationPage.objects.get(slug=admin.SEED_SLUG, locale__language_code="en")
    for section in compilation.section_pages(live=False):
        section.delete()
    client.force_login(editor)

    units = admin.editing_units(client, [(admin.SEED_SLUG, 95)])

    assert [unit["unit"] for unit in units[admin.SEED_SLUG]] == ["compilation"]


# Quiet: the load event, then 1 s without a long task.


def test_a_page_without_long_tasks_is_usable_at_its_load_event_once_a_second_has_passed():
    assert admin.quiet_time(1500, [], now=2400) is None
    assert admin.quiet_time(1500, [], now=2500) == 1500


def test_long_tasks_before_the_load_event_do_not_count():
    assert admin.quiet_time(2000, [(100, 800), (1000, 900)], now=3000) == 2000


def test_a_long_task_running_across_the_load_event_moves_it_to_its_end():
    assert admin.quiet_time(2000, [(1500, 700)], now=3200) == 2200


def test_long_tasks_less_than_a_second_apart_chain():
    tasks = [(2500, 100), (3300, 400), (4500, 60)]

    assert admin.quiet_time(2000, tasks, now=6000) == 4560
    assert admin.quiet_time(2000, tasks, now=5500) is None


def test_a_long_task_after_a_quiet_second_comes_too_late_to_count():
    assert admin.quiet_time(2000, [(2200, 100), (3400, 500)], now=4000) == 2300


def test_long_tasks_are_taken_in_time_order():
    assert admin.quiet_time(2000, [(3300, 400), (2500, 100)], now=6000) == 3700


def test_no_load_event_yet_is_not_usable():
    assert admin.quiet_time(0, [], now=10_000) is None


# The table.


def _row(**overrides):
    return {
        "entries": 1000,
        "unit": "compilation",
        "rounds": 3,
        "interactive": 16_800,
        "load": 9_400,
        "not_quiet": 0,
        "dom": 161_800,
        "heap": 79e6,
        "key_median": 120,
        "key_max": 190,
        "save": 3_500,
        "save_server": 1_200,
        "usable": 18_500,
        "queries": 367,
        "server_ms": 512,
        **overrides,
    }


def test_the_table_has_a_row_per_editing_unit_in_readable_units():
    text = admin.table([_row(), _row(entries=95, unit="largest child: Caching", dom=950)])

    lines = text.splitlines()
    assert lines[0].startswith("| entries | editing unit | interactive | DOM elements | JS heap |")
    assert lines[2] == (
        "| 1,000 | compilation | 16.8 s | 161.8k | 79 MB | 120 ms, 190 ms | 3.5 s (server 1.2 s) | "
        "18.5 s | 367 | 0.51 s |"
    )
    assert lines[3].startswith("| 95 | largest child: Caching | 16.8 s | 950 |")


def test_a_page_never_quiet_says_so():
    never = admin.table([_row(interactive=None, not_quiet=2, usable=None)])
    sometimes = admin.table([_row(not_quiet=1)])

    assert "| not quiet within 30 s (load event 9.4 s) | 161.8k |" in never
    assert "| 3.5 s (server 1.2 s) | not quiet within 30 s |" in never
    assert "| 16.8 s (1 of 3 not quiet within 30 s) |" in sometimes


def test_the_median_counts_never_quiet_as_the_slowest():
    assert admin.median([3000, None, 1000]) == 3000
    assert admin.median([None, None, 1000]) is None
    assert admin.median([1000, 2000]) == 1500


def test_the_report_goes_in_its_own_section_of_the_performance_page(tmp_path, monkeypatch):
    page = tmp_path / "PERFORMANCE.md"
    page.write_text("# Performance\n\n<!-- search:start -->\n## Search\n<!-- search:end -->\n")
    monkeypatch.setattr(common, "PERFORMANCE", page)

    rows = [_row(entries=95), _row(entries=300), _row(entries=300, unit="largest child: A")]
    common.write_section("admin", "The editor", "bench/admin.py", admin.report(rows, 3))
    common.write_section("admin", "The editor", "bench/admin.py", admin.report(rows, 3))

    text = page.read_text()
    assert text.count("<!-- admin:start -->") == 1
    assert "<!-- search:start -->\n## Search\n<!-- search:end -->" in text
    section = text.split("<!-- admin:start -->")[1]
    assert re.search(r"Written by `bench/admin.py` on \d{4}-\d\d-\d\d \d\d:\d\d UTC; load", section)
    assert "medians of 3 rounds" in section
    assert "the seed's (95 entries), and copies with its entries" in section
    assert "sections to 300 entries" in section
    assert "| 300 | largest child: A | 16.8 s |" in section


# One quick run in Chromium: the seeded compilation, one round.


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}")
def test_a_quick_run_measures_the_seeded_compilation_in_chromium(tmp_path):
    pytest.importorskip("playwright.sync_api")
    env = {**os.environ, "BENCH_ADMIN_PORT": os.environ.get("E2E_PORT_FIRST", "8200")}
    performance = (ROOT / "docs" / "PERFORMANCE.md").read_text()

    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "bench" / "admin.py"), "--quick", "--workdir", str(tmp_path)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert re.search(r"^\| [\d,]+ \| compilation \| ", result.stdout, re.M), result.stdout
    rows = json.loads((tmp_path / "results.json").read_text())
    # The compilation's own form, and its largest section's.
    assert [row["unit"] for row in rows][0] == "compilation"
    assert len(rows) == 2 and rows[1]["unit"].startswith("largest child: ")
    for row in rows:
        (measured,) = row["raw"]
        assert row["entries"] > 50 and row["dom"] > 1000 and row["heap"] > 1e6
        assert len(measured["keys"]) == admin.KEYSTROKES
        assert 0 < row["save"] and row["queries"] > 0
    assert (ROOT / "docs" / "PERFORMANCE.md").read_text() == performance
