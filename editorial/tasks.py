"""Background tasks of the editorial app (django-tasks, which Wagtail 8 ships and configures)."""

from django_tasks import task


@task()
def send_password_reset(email, use_https=True, from_email=None):
    """Send the password-reset mail to the active accounts with this address, if any.

    The request that asks for a reset only enqueues this, whether or not the address is known,
    so with a worker backend both answer in the same time; the lookup and the SMTP round trip
    happen here.
    """
    from .password_reset import PasswordResetForm

    form = PasswordResetForm({"email": email})
    if form.is_valid():
        form.send_now(use_https=use_https, from_email=from_email)
