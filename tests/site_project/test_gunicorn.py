"""gunicorn.conf.py: workers, binding, logging and recycling, read from the environment.

The configuration is read in a subprocess with its environment set, as gunicorn would start.
"""

import json
import os

from tests.isolated import output


def gunicorn_config(env):
    ours = ("WEB_CONCURRENCY", "PORT", "HOST", "GUNICORN_MAX_REQUESTS", "GUNICORN_ACCESS_LOG")
    keys = ("bind", "workers", "timeout", "accesslog", "max_requests", "max_requests_jitter")
    code = (
        "import json, runpy; c = runpy.run_path('gunicorn.conf.py'); "
        f"print(json.dumps({{k: c[k] for k in {keys!r}}}))"
    )
    return json.loads(output(code, env, drop=ours))


def test_gunicorn_workers_come_from_web_concurrency_or_the_core_count():
    assert gunicorn_config({"WEB_CONCURRENCY": "7"})["workers"] == 7
    assert gunicorn_config({})["workers"] == os.cpu_count() * 2 + 1


def test_gunicorn_binds_host_and_port_logs_to_stdout_with_a_timeout():
    config = gunicorn_config({"HOST": "127.0.0.1", "PORT": "8399"})

    assert config["bind"] == "127.0.0.1:8399"
    assert config["accesslog"] == "-"
    assert 0 < config["timeout"] <= 60


def test_an_empty_access_log_setting_turns_the_access_log_off():
    # gunicorn refuses to start with an empty path ("'' isn't writable"); make cluster sets it so.
    assert gunicorn_config({"GUNICORN_ACCESS_LOG": ""})["accesslog"] is None
    assert gunicorn_config({"GUNICORN_ACCESS_LOG": "/var/log/site/access.log"})["accesslog"] == (
        "/var/log/site/access.log"
    )


def test_gunicorn_recycles_workers_only_when_asked():
    # A recycled worker starts with empty local caches: off unless GUNICORN_MAX_REQUESTS is set.
    assert gunicorn_config({})["max_requests"] == 0
    config = gunicorn_config({"GUNICORN_MAX_REQUESTS": "20000"})
    assert (config["max_requests"], config["max_requests_jitter"]) == (20000, 2000)
