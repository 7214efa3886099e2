"""`make cluster-drill` (bench/cluster_drill.py) fails on what it checks: any failed request or
non-2xx answer under load, slow pages among slow clients, a publish not seen at once. (The drill
itself runs against `make cluster`: .ci/run runs it shortened through deploy/cluster-ci.sh.)"""

import copy

from bench.cluster_drill import failures, settled_at

CLEAN_LOAD = {"requests": 900, "non_2xx": 0, "socket_errors": 0}
PASSED = {
    "slow_clients": {"requests": 100, "within_3s": 99, "share": 99.0},
    "host_loss": dict(CLEAN_LOAD),
    "replica_loss": {"load": dict(CLEAN_LOAD), "reads_on_primary_within_s": 0.5},
    "publish": {"rounds": 1, "new_content_on_next_request": 1},
}


def changed(path, value):
    results = copy.deepcopy(PASSED)
    *parents, name = path
    target = results
    for parent in parents:
        target = target[parent]
    target[name] = value
    return results


def test_a_clean_short_run_passes():
    assert failures(PASSED) == []


def test_a_single_5xx_while_a_host_is_stopped_fails():
    found = failures(changed(["host_loss", "non_2xx"], 1))

    assert found == [
        "host loss: 1 responses not 2xx/3xx and 0 failed requests "
        "(connect, read, write or timeout) of 900"
    ]


def test_a_timed_out_request_while_the_replica_is_stopped_fails():
    found = failures(changed(["replica_loss", "load", "socket_errors"], 1))

    assert len(found) == 1 and found[0].startswith("replica loss: 0 responses")


def test_errors_in_the_full_runs_throughput_phases_fail_too():
    results = changed(["two_hosts"], {"requests": 500, "non_2xx": 0, "socket_errors": 3})
    results["one_host"] = dict(CLEAN_LOAD)

    assert [f.split(":")[0] for f in failures(results)] == ["two hosts"]


def test_slow_pages_among_slow_clients_fail():
    found = failures(changed(["slow_clients"], {"requests": 100, "within_3s": 90, "share": 90.0}))

    assert found == ["slow clients: 90/100 pages within 3 s (90.0 %, needs 95 %)"]


def test_a_publish_not_seen_on_the_next_request_fails():
    found = failures(changed(["publish", "new_content_on_next_request"], 0))

    assert found == [
        "publish: 0/1 rounds saw the new content on the next request on every host "
        "(within 2.5 s through the front)"
    ]


def test_reads_count_as_back_only_once_the_rate_stays_low():
    # pg_stat_database moves about once a second: a lone 0 is not the reads coming back.
    samples = [(0.5, 600), (1.0, 0), (1.5, 580), (2.0, 610), (2.5, 3), (3.0, 4), (3.5, 2)]

    assert settled_at(samples, lambda rate: rate <= 10) == 2.5
    assert settled_at(samples[:4], lambda rate: rate <= 10) is None
