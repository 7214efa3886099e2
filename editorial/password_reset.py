"""The admin's password reset: the mail is sent by a background task, and requests are
throttled per client address and per e-mail address asked for.

Wired in settings (WAGTAILADMIN_USER_PASSWORD_RESET_FORM) and site_project/urls.py.
"""

import hashlib
import urllib.parse

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django_tasks import task
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm
from wagtail.admin.views.account import PasswordResetView

from .signin import client_ip

EMAIL_TEMPLATE = "wagtailadmin/account/password_reset/email.txt"
SUBJECT_TEMPLATE = "wagtailadmin/account/password_reset/email_subject.txt"


class PasswordResetForm(WagtailPasswordResetForm):
    def save(self, use_https=False, from_email=None, **kwargs):
        """Enqueue the mail, the same work for every address (known, unknown or inactive)."""
        send_password_reset.enqueue(
            email=self.cleaned_data["email"], use_https=use_https, from_email=from_email
        )

    def send_now(self, use_https=True, from_email=None):
        """Django's own sending, outside any request: the links come from
        WAGTAILADMIN_BASE_URL, so the domain is its host."""
        super().save(
            domain_override=urllib.parse.urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname,
            use_https=use_https,
            from_email=from_email,
            email_template_name=EMAIL_TEMPLATE,
            subject_template_name=SUBJECT_TEMPLATE,
        )


@task()
def send_password_reset(email, use_https=True, from_email=None):
    """Send the password-reset mail to the active accounts with this address, if any.

    The request that asks for a reset only enqueues this, whether or not the address is known,
    so with a worker backend both answer in the same time; the lookup and the SMTP round trip
    happen here.
    """
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        form.send_now(use_https=use_https, from_email=from_email)


def _counters(request):
    email = request.POST.get("email", "").strip().lower()
    digest = hashlib.sha256(email.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return [
        (f"password-reset:address:{client_ip(request)}", settings.PASSWORD_RESET_LIMIT_PER_IP),
        (f"password-reset:account:{digest}", settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT),
    ]


def throttled_password_reset(request, *args, **kwargs):
    """Wagtail's password reset view, answering 429 once this address, or this e-mail address
    from anywhere, has asked too often within the window."""
    if request.method == "POST":
        counters = _counters(request)
        if any((cache.get(key) or 0) >= limit for key, limit in counters):
            seconds = settings.PASSWORD_RESET_WINDOW_SECONDS
            response = render(
                request,
                "editorial/password_reset_throttled.html",
                {"minutes": seconds // 60},
                status=429,
            )
            response["Retry-After"] = str(seconds)
            return response
        for key, _limit in counters:
            if not cache.add(key, 1, settings.PASSWORD_RESET_WINDOW_SECONDS):
                try:
                    cache.incr(key)
                except ValueError:
                    cache.set(key, 1, settings.PASSWORD_RESET_WINDOW_SECONDS)
    return PasswordResetView.as_view()(request, *args, **kwargs)
