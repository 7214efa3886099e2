"""The newsletter's sending (subscriptions/sending.py), received by a real SMTP server: the post
mail, the weekly digest, their headers and links, one-click unsubscribe, and no mail twice
whether runs fail, die or overlap."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from subscriptions import sending
from subscriptions.models import Delivery, Frequency, Subscriber
from tests import factories
from tests.smtp_server import SENDER, free_port

from .conftest import links, parts, path_of, subscribe


def digest_due(address):
    """A weekly subscriber whose week started eight days ago."""
    return subscribe(address, Frequency.WEEKLY, since=timezone.now() - datetime.timedelta(days=8))


@pytest.mark.django_db
def test_a_new_post_reaches_each_post_subscribers_with_both_parts(client, site, smtp):
    index, _ = site
    subscribe("ada@example.com")
    digest_reader = subscribe("grace@example.com", Frequency.WEEKLY)
    post = factories.make_post(index, title="Pooling connections", summary="Use PgBouncer.")

    summary = sending.send_due()

    assert summary.posts == 1
    (message,) = smtp.to("ada@example.com")
    assert smtp.to(digest_reader.email) == []
    assert message["Subject"] == "New post: Pooling connections"
    assert message["From"] == SENDER
    text, html = parts(message)
    post_url = post.get_full_url()
    assert post_url in text and f'href="{post_url}"' in html
    assert "Use PgBouncer." in text and "Use PgBouncer." in html
    assert client.get(path_of(post_url)).status_code == 200


@pytest.mark.django_db
def test_every_newsletter_mail_carries_one_click_unsubscribe(client, site, smtp):
    index, _ = site
    subscribe("ada@example.com")
    factories.make_post(index)

    sending.send_due()

    (message,) = smtp.messages[0][1:]
    header = str(message["List-Unsubscribe"]).strip()  # a long header is folded
    assert header.startswith("<http://localhost/subscribe/unsubscribe/") and header.endswith(">")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = parts(message)
    url = header[1:-1]
    assert url in links(text) and f'href="{url}"' in html
    assert client.get(path_of(url)).status_code == 200


@pytest.mark.django_db
def test_a_post_is_mailed_once_however_often_the_newsletter_runs(site, smtp):
    index, _ = site
    subscribe("ada@example.com")
    factories.make_post(index)

    sending.send_due()
    again = sending.send_due()

    assert again.sent == 0
    assert smtp.per_address() == {"ada@example.com": 1}
    assert Delivery.objects.get().status == Delivery.Status.SENT


@pytest.mark.django_db
def test_posts_published_before_confirming_are_not_mailed(site, smtp):
    index, _ = site
    factories.make_post(index)
    subscribe("ada@example.com", since=timezone.now() + datetime.timedelta(seconds=1))

    assert sending.send_due().sent == 0
    assert smtp.messages == []


@pytest.mark.django_db
def test_unconfirmed_addresses_get_nothing(site, smtp):
    index, _ = site
    Subscriber.objects.create(email="ada@example.com", frequency=Frequency.EACH_POST)
    factories.make_post(index)

    assert sending.send_due().sent == 0


@pytest.mark.django_db
def test_the_weekly_digest_lists_the_weeks_posts_and_compilation_changes(client, site, smtp):
    index, compilation = site
    reader = digest_due("grace@example.com")
    post = factories.make_post(index, title="Indexes that pay")
    sections = [*compilation.body.raw_data, factories.section("Deployment", [])]
    factories.publish_sections(compilation, sections)

    summary = sending.send_due()

    assert summary.digests == 1
    (message,) = smtp.to("grace@example.com")
    assert message["Subject"] == "This week on Django at Scale"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = parts(message)
    assert "Indexes that pay" in text and post.get_full_url() in html
    assert "What changed in Django at Scale in Production" in text
    assert "Deployment" in html
    changes_link = next(link for link in links(text) if "/changes/" in link)
    assert client.get(path_of(changes_link.split("#")[0])).status_code == 200
    reader.refresh_from_db()
    assert reader.since > timezone.now() - datetime.timedelta(minutes=1)


@pytest.mark.django_db
def test_the_digest_waits_for_the_end_of_the_week_and_comes_once(site, smtp):
    index, _ = site
    subscribe(
        "grace@example.com", Frequency.WEEKLY, since=timezone.now() - datetime.timedelta(days=6)
    )
    factories.make_post(index)

    early = sending.send_due()
    on_time = sending.send_due(now=timezone.now() + datetime.timedelta(days=1, minutes=1))
    again = sending.send_due(now=timezone.now() + datetime.timedelta(days=1, minutes=2))

    assert (early.sent, on_time.digests, again.sent) == (0, 1, 0)
    assert smtp.per_address() == {"grace@example.com": 1}


@pytest.mark.django_db
def test_a_quiet_week_sends_no_digest_and_starts_the_next_week(index, smtp):
    reader = digest_due("grace@example.com")

    summary = sending.send_due()

    assert (summary.sent, summary.quiet_weeks) == (0, 1)
    assert smtp.messages == []
    reader.refresh_from_db()
    assert reader.since > timezone.now() - datetime.timedelta(minutes=1)


@pytest.mark.django_db
def test_the_one_click_post_from_the_mail_stops_the_next_send(site, smtp):
    index, _ = site
    subscribe("ada@example.com")
    subscribe("grace@example.com")
    factories.make_post(index)
    sending.send_due()
    url = str(smtp.to("ada@example.com")[0]["List-Unsubscribe"]).strip()[1:-1]

    # What a mail client sends for RFC 8058: a bare POST, no cookie, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        path_of(url), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    factories.make_post(index)
    sending.send_due()

    assert response.status_code == 200
    assert smtp.per_address() == {"ada@example.com": 1, "grace@example.com": 2}


@pytest.mark.django_db
def test_a_run_the_smtp_server_stops_halfway_is_finished_by_the_next_without_duplicates(site, smtp):
    index, _ = site
    addresses = [f"reader{n}@example.com" for n in range(5)]
    for address in addresses:
        subscribe(address)
    factories.make_post(index)
    factories.make_post(index)
    smtp.accept = 3

    with pytest.raises(sending.SendFailed) as failed:
        sending.send_due()
    received_before = len(smtp.messages)
    smtp.accept = None
    resumed = sending.send_due()

    assert failed.value.summary.sent == received_before == 3
    assert resumed.sent == 7
    assert smtp.per_address() == dict.fromkeys(addresses, 2)
    assert not Delivery.objects.filter(status=Delivery.Status.PENDING).exists()


@pytest.mark.django_db
def test_an_smtp_server_that_is_gone_stops_the_run_and_leaves_nothing_claimed(site, smtp, settings):
    index, _ = site
    subscribe("ada@example.com")
    factories.make_post(index)
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there

    with pytest.raises(sending.SendFailed):
        sending.send_due()
    leftover = Delivery.objects.count()
    settings.EMAIL_PORT = port
    resumed = sending.send_due()

    assert leftover == 0
    assert resumed.posts == 1
    assert smtp.per_address() == {"ada@example.com": 1}


@pytest.mark.django_db
def test_a_claim_left_by_a_run_that_died_is_sent_once_it_is_stale(site, smtp, settings):
    index, _ = site
    reader = subscribe("ada@example.com")
    post = factories.make_post(index)
    claimed = Delivery.objects.create(
        subscriber=reader, kind=Delivery.Kind.POST, key=str(post.pk), claimed_at=timezone.now()
    )

    while_fresh = sending.send_due()
    Delivery.objects.filter(pk=claimed.pk).update(
        claimed_at=timezone.now()
        - datetime.timedelta(minutes=settings.NEWSLETTER_RETRY_MINUTES + 1)
    )
    once_stale = sending.send_due()
    afterwards = sending.send_due()

    assert (while_fresh.sent, once_stale.sent, afterwards.sent) == (0, 1, 0)
    assert smtp.per_address() == {"ada@example.com": 1}
    claimed.refresh_from_db()
    assert claimed.status == Delivery.Status.SENT


@pytest.mark.django_db
def test_a_delivery_is_claimed_by_one_run_only(settings):
    reader = subscribe("ada@example.com")
    now = timezone.now()
    stale = now + datetime.timedelta(minutes=settings.NEWSLETTER_RETRY_MINUTES + 1)

    assert sending.claim(reader.pk, Delivery.Kind.POST, "7", now) is True
    assert sending.claim(reader.pk, Delivery.Kind.POST, "7", now) is False
    # Two runs finding it stale: the first takes it over, the second finds it fresh again.
    assert sending.claim(reader.pk, Delivery.Kind.POST, "7", stale) is True
    assert sending.claim(reader.pk, Delivery.Kind.POST, "7", stale) is False
    assert Delivery.objects.count() == 1


@pytest.mark.django_db
def test_a_sent_delivery_is_never_claimed_again(settings):
    reader = subscribe("ada@example.com")
    long_after = timezone.now() + datetime.timedelta(days=30)
    sending.claim(reader.pk, Delivery.Kind.POST, "7", timezone.now())
    Delivery.objects.update(status=Delivery.Status.SENT)

    assert sending.claim(reader.pk, Delivery.Kind.POST, "7", long_after) is False


@pytest.mark.django_db(transaction=True)
def test_overlapping_runs_send_each_mail_once(smtp):
    if connection.vendor == "sqlite":
        # The test database is SQLite in memory, whose table locks do not wait: the claims
        # themselves are covered above on every database.
        pytest.skip("concurrent writers need PostgreSQL here")
    home = factories.make_home()
    index = factories.make_index(home)
    addresses = [f"reader{n}@example.com" for n in range(12)]
    for address in addresses:
        subscribe(address)
    factories.make_post(index)
    factories.make_post(index)
    smtp.messages.clear()  # the publishes' own runs (the task on commit) are not what is tested
    Delivery.objects.all().delete()
    start = threading.Barrier(3)
    errors = []

    def run():
        try:
            start.wait()
            sending.send_due()
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert smtp.per_address() == dict.fromkeys(addresses, 2)
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 24


@pytest.mark.django_db
def test_a_batch_costs_a_fixed_number_of_queries_plus_its_mails(
    site, smtp, django_assert_num_queries
):
    index, _ = site
    for n in range(6):
        subscribe(f"reader{n}@example.com")
    for n in range(3):
        subscribe(f"weekly{n}@example.com", Frequency.WEEKLY)
    factories.make_post(index)
    factories.make_post(index)

    # Once: the expired-unconfirmed cleanup, the batch's subscribers and their deliveries, the
    # posts (view restrictions, pages, the site for their URLs). Per mail: its claim and its
    # marking as sent, each its own transaction (here a savepoint and its release around it).
    with django_assert_num_queries(6 + 12 * 6):
        summary = sending.send_due()

    assert summary.posts == 12


@pytest.mark.django_db
def test_a_run_with_nothing_due_costs_five_queries(site, smtp, django_assert_num_queries):
    for n in range(6):
        subscribe(f"reader{n}@example.com")
    for n in range(3):
        subscribe(f"weekly{n}@example.com", Frequency.WEEKLY)

    # The cleanup, the subscribers, their deliveries, the (no) new posts in two; no digest due.
    with django_assert_num_queries(5):
        assert sending.send_due().sent == 0


@pytest.mark.django_db
def test_markup_in_a_title_is_escaped_in_the_html_part(site, smtp):
    index, _ = site
    subscribe("ada@example.com")
    factories.make_post(index, title="Caching <script>alert(1)</script>")

    sending.send_due()

    text, html = parts(smtp.messages[0][1])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Caching <script>alert(1)</script>" in text  # plain text is not HTML


@pytest.mark.django_db
def test_an_address_never_confirmed_is_forgotten_once_its_link_has_expired(home, settings):
    Subscriber.objects.create(email="ada@example.com", frequency=Frequency.EACH_POST)
    later = timezone.now() + datetime.timedelta(seconds=settings.SUBSCRIBE_CONFIRM_MAX_AGE_SECONDS)

    sending.send_due()
    kept = Subscriber.objects.exists()
    sending.send_due(now=later + datetime.timedelta(minutes=1))

    assert kept
    assert not Subscriber.objects.exists()
