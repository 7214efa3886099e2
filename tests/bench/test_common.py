"""bench/common.py's docs/PERFORMANCE.md writer: each benchmark replaces its own marked section
and leaves the others as they are."""

from bench import common

PAGE = """# Performance

intro

<!-- faults:start -->
## Fault drill
old figures
<!-- faults:end -->

<!-- search:start -->
## Search latency
<!-- search:end -->
"""


def test_a_section_replaces_its_old_self_and_leaves_the_rest(tmp_path, monkeypatch):
    page = tmp_path / "PERFORMANCE.md"
    page.write_text(PAGE)
    monkeypatch.setattr(common, "PERFORMANCE", page)

    common.splice_section("<!-- faults:start -->\n## Fault drill\nnew figures\n<!-- faults:end -->")

    text = page.read_text()
    assert "new figures" in text and "old figures" not in text
    assert text.startswith("# Performance\n\nintro\n")
    assert "<!-- search:start -->\n## Search latency\n<!-- search:end -->" in text


def test_a_new_section_goes_at_the_end(tmp_path, monkeypatch):
    page = tmp_path / "PERFORMANCE.md"
    page.write_text(PAGE)
    monkeypatch.setattr(common, "PERFORMANCE", page)

    common.write_section("front", "Through the front", "bench/front.py", "| a | b |")

    text = page.read_text()
    assert text.rstrip().endswith("| a | b |\n<!-- front:end -->")
    assert "## Through the front\n\nWritten by `bench/front.py` on " in text
    assert text.count("<!-- faults:start -->") == 1
