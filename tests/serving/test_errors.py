"""Error pages (serving/errors.py and templates/404.html): friendly, standalone, and a "back in
a moment" page while the database is unreachable."""

import pytest
from django.views.defaults import server_error


@pytest.mark.django_db
def test_unknown_page_gets_the_custom_404(client, home):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_is_friendly_and_standalone(rf):
    response = server_error(rf.get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Something went wrong</h1>" in html and 'href="/"' in html
