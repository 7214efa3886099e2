"""`make bench` (bench/run.py) rewrites docs/PERFORMANCE.md but keeps the sections other scripts
own (the search benchmark, the fault and cluster drills, the CSP cost) as they are."""

from bench.run import kept_blocks

REPORT = """# Performance

## Without Redis (local-memory cache)
| old table |

<!-- search:start -->
## Search latency
figures
<!-- search:end -->

<!-- faults:start -->
## Fault drill
<!-- faults:end -->

<!-- cluster-drill:start -->
## Cluster drill
| drill | result |
<!-- cluster-drill:end -->
"""


def test_every_marked_section_is_kept_in_order():
    blocks = kept_blocks(REPORT)

    assert [block.splitlines()[0] for block in blocks] == [
        "<!-- search:start -->",
        "<!-- faults:start -->",
        "<!-- cluster-drill:start -->",
    ]
    assert blocks[2].endswith("| drill | result |\n<!-- cluster-drill:end -->")
    assert not any("old table" in block for block in blocks)


def test_an_unclosed_section_is_not_kept():
    assert kept_blocks("<!-- csp:start -->\n## half a section\n") == []
