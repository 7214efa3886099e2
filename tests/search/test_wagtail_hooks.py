"""Search reports in the admin (search/wagtail_hooks.py): the searches that found nothing."""


def test_zero_result_report_is_for_superusers_only(client, db, django_user_model):
    user = django_user_model.objects.create_user("reader", password="a-long-test-password")
    client.force_login(user)

    response = client.get("/admin/reports/search-no-results/")

    assert response.status_code in (302, 403)
