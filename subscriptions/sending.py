"""Sending what is due: each new post to "each new post" subscribers, a digest of the week to
weekly subscribers; `manage.py send_newsletter` and the task started on publish both run it.

Each mail is a Delivery claimed before it is sent: the claim is a row, unique per subscriber,
kind and item, created in its own transaction. Two runs that overlap both try to create it and
only one succeeds; a run that dies after claiming leaves the row pending, and a later run takes
it over once it is NEWSLETTER_RETRY_MINUTES old. A mail that fails to leave (the SMTP server
refuses or goes away) gives its claim back and stops the run: the next run sends it and the
rest. The one case that can repeat a mail is a process that dies between the SMTP server
accepting it and the row being marked sent.
"""

import datetime
import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import cached_property

from blog.models import CompilationPage, TopicPostPage
from changes import log

from . import mails
from .models import Delivery, Frequency, Subscriber

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
DIGEST_PERIOD = datetime.timedelta(days=7)
# How far back a run looks for posts and changes: a post first published earlier is no longer
# news, and a run after a long pause does not mail the whole archive.
LOOKBACK = datetime.timedelta(days=14)


class SendFailed(Exception):
    """A mail could not be sent; its claim was given back. `summary` says what was sent."""

    def __init__(self, summary, error):
        super().__init__(f"{error.__class__.__name__}: {error}")
        self.summary = summary


@dataclass
class Summary:
    posts: int = 0
    digests: int = 0
    quiet_weeks: int = 0  # digests due with nothing new: no mail, the week moves on

    @property
    def sent(self):
        return self.posts + self.digests


class Published:
    """What was published within LOOKBACK, read once per run, and only if a due mail needs it."""

    def __init__(self, now):
        self.now = now
        self.horizon = now - LOOKBACK

    @cached_property
    def root(self):
        return mails.site_root()

    @cached_property
    def posts(self):
        posts = (
            TopicPostPage.objects.readable()
            .filter(first_published_at__gte=self.horizon, first_published_at__lte=self.now)
            .defer_streamfields()
            .order_by("first_published_at", "pk")
        )
        return [(post, post.get_full_url()) for post in posts]

    @cached_property
    def compilations(self):
        found = []
        for page in CompilationPage.objects.readable().order_by("path"):
            url = page.get_full_url()
            publishes = [p for p in log.publishes(page) if p.published_at >= self.horizon]
            found.append(
                {"title": page.title, "url": url, "changes_url": url + "changes/", "all": publishes}
            )
        return found

    def posts_between(self, start, end):
        return [(p, url) for p, url in self.posts if start <= p.first_published_at < end]

    def compilations_between(self, start, end):
        found = []
        for compilation in self.compilations:
            publishes = [p for p in compilation["all"] if start <= p.published_at < end]
            if publishes:
                found.append({**compilation, "publishes": publishes})
        return found


def claim(subscriber_id, kind, key, now):
    """True when this run now owns the delivery: it created the row, or took over one left
    pending for longer than NEWSLETTER_RETRY_MINUTES by a run that died."""
    try:
        with transaction.atomic():
            Delivery.objects.create(subscriber_id=subscriber_id, kind=kind, key=key, claimed_at=now)
        return True
    except IntegrityError:
        stale = now - datetime.timedelta(minutes=settings.NEWSLETTER_RETRY_MINUTES)
        # A conditional update: of two runs taking over the same row, one updates it.
        return bool(
            Delivery.objects.filter(
                subscriber_id=subscriber_id,
                kind=kind,
                key=key,
                status=Delivery.Status.PENDING,
                claimed_at__lt=stale,
            ).update(claimed_at=now)
        )


def _release(subscriber_id, kind, key):
    Delivery.objects.filter(
        subscriber_id=subscriber_id, kind=kind, key=key, status=Delivery.Status.PENDING
    ).delete()


def _mark_sent(subscriber, kind, key, week_end=None):
    """The delivery is sent; a digest also moves the subscriber's week on, in the same
    transaction, so the next run neither repeats nor skips a week."""
    with transaction.atomic():
        Delivery.objects.filter(subscriber_id=subscriber.pk, kind=kind, key=key).update(
            status=Delivery.Status.SENT, sent_at=timezone.now()
        )
        if week_end is not None:
            _advance_week(subscriber, week_end)


def _advance_week(subscriber, week_end):
    Subscriber.objects.filter(pk=subscriber.pk, since=subscriber.since).update(since=week_end)


class Run:
    def __init__(self, now=None, frequencies=None):
        self.now = now or timezone.now()
        self.frequencies = list(frequencies or Frequency.values)
        self.published = Published(self.now)
        self.summary = Summary()
        self.connection = None

    def __call__(self):
        self.forget_unconfirmed()
        try:
            for batch in self.batches():
                self.send_batch(batch)
        finally:
            self.close()
        return self.summary

    def close(self):
        if self.connection is None:
            return
        try:
            self.connection.close()
        except Exception:  # a server already gone: nothing left to close
            logger.info("SMTP connection closed uncleanly", exc_info=True)
        self.connection = None

    def forget_unconfirmed(self):
        """Addresses whose confirmation link has expired unused are not kept."""
        expired = self.now - datetime.timedelta(seconds=settings.SUBSCRIBE_CONFIRM_MAX_AGE_SECONDS)
        Subscriber.objects.filter(confirmed_at__isnull=True, created_at__lt=expired).delete()

    def batches(self):
        last = 0
        subscribers = Subscriber.objects.confirmed().filter(
            frequency__in=self.frequencies, since__isnull=False
        )
        while True:
            batch = list(subscribers.filter(pk__gt=last).order_by("pk")[:BATCH_SIZE])
            if batch:
                yield batch
            if len(batch) < BATCH_SIZE:
                return
            last = batch[-1].pk

    def send_batch(self, batch):
        """Two queries for the batch (the subscribers, their recent deliveries), the published
        posts and changes once per run, then per mail its claim and its marking."""
        retry_before = self.now - datetime.timedelta(minutes=settings.NEWSLETTER_RETRY_MINUTES)
        busy = {
            (d.subscriber_id, d.kind, d.key)
            for d in Delivery.objects.filter(
                subscriber__in=[s.pk for s in batch], claimed_at__gte=self.published.horizon
            ).only("subscriber_id", "kind", "key", "status", "claimed_at")
            if d.status == Delivery.Status.SENT or d.claimed_at >= retry_before
        }
        for subscriber in batch:
            if subscriber.frequency == Frequency.EACH_POST:
                for post, url in self.published.posts:
                    key = str(post.pk)
                    if post.first_published_at < subscriber.since:
                        continue
                    if (subscriber.pk, Delivery.Kind.POST, key) in busy:
                        continue
                    self.send(
                        subscriber,
                        Delivery.Kind.POST,
                        key,
                        partial(mails.post, subscriber, post, url, self.published.root),
                    )
            elif subscriber.since + DIGEST_PERIOD <= self.now:
                self.send_digest(subscriber, busy)

    def send_digest(self, subscriber, busy):
        key = subscriber.since.isoformat()
        if (subscriber.pk, Delivery.Kind.DIGEST, key) in busy:
            return
        start = max(subscriber.since, self.published.horizon)
        posts = self.published.posts_between(start, self.now)
        compilations = self.published.compilations_between(start, self.now)
        if not posts and not compilations:
            _advance_week(subscriber, self.now)
            self.summary.quiet_weeks += 1
            return
        self.send(
            subscriber,
            Delivery.Kind.DIGEST,
            key,
            partial(
                mails.digest, subscriber, posts, compilations, start, self.now, self.published.root
            ),
            week_end=self.now,
        )

    def send(self, subscriber, kind, key, build, week_end=None):
        if not claim(subscriber.pk, kind, key, self.now):
            return
        try:
            message = build()
            if self.connection is None:
                self.connection = get_connection()
                self.connection.open()
            message.connection = self.connection
            message.send()
        except Exception as error:
            _release(subscriber.pk, kind, key)
            logger.warning("Newsletter mail not sent (%s %s): %s", kind, key, error)
            raise SendFailed(self.summary, error) from error
        _mark_sent(subscriber, kind, key, week_end)
        if kind == Delivery.Kind.POST:
            self.summary.posts += 1
        else:
            self.summary.digests += 1


def send_due(now=None, frequencies=None):
    """Send every mail due at `now` (by default, now); returns a Summary, or raises SendFailed
    after giving back the claim of the mail that failed."""
    return Run(now, frequencies)()
