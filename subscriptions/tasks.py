"""Background tasks (django-tasks): the confirmation mail, and the newsletter run started when a
post is published. With the database backend they wait for `manage.py db_worker`."""

from django.db import IntegrityError, transaction
from django_tasks import task

from . import mails, sending
from .models import Frequency, Subscriber


@task()
def send_confirmation(email, frequency):
    """Mail the confirmation link to `email`, whether or not it is already subscribed: the form
    answers the same for every address, and only the owner of the address reads what follows.
    An address not yet subscribed is kept, unconfirmed, until its link expires."""
    if frequency not in Frequency.values:
        return
    try:
        with transaction.atomic():
            subscriber, _ = Subscriber.objects.get_or_create(
                email=email, defaults={"frequency": frequency}
            )
    except IntegrityError:  # created by a request for the same address just now
        subscriber = Subscriber.objects.get(email=email)
    mails.confirmation(subscriber, frequency).send()


@task()
def send_new_posts():
    """Mail the posts not yet sent to "each new post" subscribers (the scheduler's
    `send_newsletter` catches up on anything this misses)."""
    summary = sending.send_due(frequencies=[Frequency.EACH_POST])
    return {"posts": summary.posts}


def post_published(sender, instance, **kwargs):
    """page_published for a post: its mails go out from the task worker once the publish is
    committed."""
    transaction.on_commit(send_new_posts.enqueue)
