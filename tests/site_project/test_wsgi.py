"""The WSGI entry point (site_project/wsgi.py) that gunicorn serves."""

from serving.page_cache import PageCacheApplication


def test_the_served_application_has_the_layer_in_front():
    from site_project import wsgi

    assert isinstance(wsgi.application, PageCacheApplication)
