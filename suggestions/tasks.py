"""The mail that tells a reader what became of their suggestion, sent by the task worker."""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django_tasks import task

from .models import Status, Suggestion


@task()
def tell_suggester(suggestion_id):
    """Mail the reader the decision on their suggestion (plain text and HTML), if they left an
    address and it was accepted or rejected. Returns whether a mail was sent."""
    suggestion = Suggestion.objects.select_related("compilation").filter(pk=suggestion_id).first()
    if suggestion is None or not suggestion.email:
        return False
    if suggestion.status not in (Status.ACCEPTED, Status.REJECTED):
        return False
    compilation = suggestion.compilation
    context = {
        "suggestion": suggestion,
        "accepted": suggestion.status == Status.ACCEPTED,
        "compilation_title": compilation.title,
        "compilation_url": compilation.get_full_url(),
    }
    verdict = "added to" if context["accepted"] else "not added to"
    mail = EmailMultiAlternatives(
        subject=f"Your suggestion was {verdict} “{compilation.title}”",
        body=render_to_string("suggestions/mail/decision.txt", context),
        to=[suggestion.email],
    )
    mail.attach_alternative(
        render_to_string("suggestions/mail/decision.html", context), "text/html"
    )
    mail.send()
    return True
