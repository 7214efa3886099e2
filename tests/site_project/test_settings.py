"""Settings read the environment; production refuses to start without its secrets."""

import pytest
from django.db import connection

from tests.isolated import ROOT, output, run


def run_check(env):
    env = {"DJANGO_SETTINGS_MODULE": "site_project.settings.production", **env}
    return run(["manage.py", "check"], env, drop=("SECRET_KEY", "ALLOWED_HOSTS"))


def test_production_refuses_to_start_without_secret_key():
    result = run_check({"ALLOWED_HOSTS": "example.com"})

    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_check({"SECRET_KEY": "x" * 50})

    assert result.returncode != 0
    assert "ALLOWED_HOSTS is required" in result.stderr


def test_production_starts_with_its_variables():
    result = run_check({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.com"})

    assert result.returncode == 0, result.stderr


def database_setting(env):
    code = "from site_project.settings import dev; d = dev.DATABASES['default']; "
    code += "print(d['ENGINE'], d['NAME'], d['CONN_MAX_AGE'], "
    code += "repr(d.get('OPTIONS', {}).get('options')))"
    return output(code, env, drop=("DATABASE_URL",)).split(maxsplit=3)


def test_database_defaults_to_sqlite_under_var():
    engine, name, _, _ = database_setting({})

    assert engine == "django.db.backends.sqlite3"
    assert name == str(ROOT / "var" / "db.sqlite3")


def test_database_url_selects_postgresql_with_persistent_connections():
    engine, name, max_age, options = database_setting(
        {"DATABASE_URL": "postgres://u@db.example:5432/site"}
    )

    assert engine == "django.db.backends.postgresql"
    assert name == "site"
    assert max_age == "60"
    # Page reads priced for SSDs (search relies on it to use its GIN index).
    assert options.strip() == "'-c random_page_cost=1.1'"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_connections_price_page_reads_for_ssds():
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def test_postgresql_startup_options_can_be_turned_off_for_a_pooler():
    *_, options = database_setting(
        {"DATABASE_URL": "postgres://u@db.example:5432/site", "DATABASE_PG_OPTIONS": ""}
    )

    assert options.strip() == "None"
