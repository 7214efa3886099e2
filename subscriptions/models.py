"""Subscribers and the mails sent to them.

A subscriber is stored when the form is sent and receives nothing but the confirmation mail
until its link is followed (confirmed_at). Every mail of the newsletter is a Delivery, claimed
(a unique row) before it is sent, so that no run, however it overlaps or fails, sends the same
post or digest to the same subscriber twice.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_key():
    return secrets.token_urlsafe(32)


class Frequency(models.TextChoices):
    EACH_POST = "post", _("Each new post")
    WEEKLY = "weekly", _("A weekly digest")


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class Subscriber(models.Model):
    email = models.EmailField(unique=True, help_text="Stored in lower case.")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    # The secret the confirmation and unsubscribe links are signed over: never shown, and the
    # links carry no address.
    key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the link in the confirmation mail was followed."
    )
    since = models.DateTimeField(
        null=True,
        blank=True,
        help_text=(
            "Nothing published before this is mailed: set on confirming; for the weekly digest, "
            "the start of the next digest's week."
        ),
    )

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.email


class Delivery(models.Model):
    class Kind(models.TextChoices):
        POST = "post", "Post"
        DIGEST = "digest", "Weekly digest"

    class Status(models.TextChoices):
        PENDING = "pending", "Being sent"
        SENT = "sent", "Sent"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The post's id, or the start of the digest's week: what must never be mailed twice.
    key = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "kind", "key"], name="subscriptions_one_delivery_per_item"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.key} to subscriber {self.subscriber_id}: {self.status}"
