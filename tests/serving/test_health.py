"""/healthz for load balancers (serving/health.py): 200 while the database answers, 503 when it
does not, by IP address and plain HTTP, revealing nothing."""

import pytest

from tests.isolated import run_production


@pytest.mark.django_db
def test_healthz_is_200_when_the_database_answers_even_by_ip_and_plain_http(client):
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_healthz_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_health_check_answers_any_host_with_nothing_reflected(client):
    # Load balancers probe /healthz by IP address, so it answers before the host check.
    response = client.get("/healthz", HTTP_HOST="<b>evil.example</b>")

    assert response.status_code == 200
    assert b"evil" not in response.content


def test_healthz_is_503_when_the_database_is_down(tmp_path):
    # Nothing listens on port 9: a real refused connection, not a patched cursor.
    result = run_production(
        """
        from django.test import Client
        response = Client().get("/healthz", HTTP_HOST="10.0.0.7")
        print(json.dumps([response.status_code, response.content.decode()]))
        """,
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:9/nowhere",
    )

    assert result == [503, "unavailable\n"]


@pytest.mark.django_db
def test_healthz_says_read_only_with_503_when_the_database_refuses_writes(
    client, read_only_database
):
    response = client.get("/healthz")

    assert (response.status_code, response.content) == (503, b"read-only\n")
