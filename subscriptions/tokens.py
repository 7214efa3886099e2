"""The signed links of the mails. Both carry the subscriber's random key, never the address.

- Confirmation: the key and the chosen frequency, timestamped; valid for
  SUBSCRIBE_CONFIRM_MAX_AGE_SECONDS.
- Unsubscribe: the key alone, signed without expiry (a mail read a year later still unsubscribes).
"""

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "subscriptions.confirm"
UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"


class Invalid(Exception):
    """A link that was tampered with or has expired; `expired` says which."""

    def __init__(self, expired=False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def confirmation_token(key, frequency):
    return signing.dumps({"k": key, "f": frequency}, salt=CONFIRM_SALT)


def read_confirmation(token):
    """(key, frequency) from a confirmation token, or Invalid."""
    try:
        value = signing.loads(
            token, salt=CONFIRM_SALT, max_age=settings.SUBSCRIBE_CONFIRM_MAX_AGE_SECONDS
        )
    except signing.SignatureExpired as error:
        raise Invalid(expired=True) from error
    except (signing.BadSignature, ValueError) as error:
        raise Invalid() from error
    if not isinstance(value, dict) or not isinstance(value.get("k"), str):
        raise Invalid()
    return value["k"], value.get("f")


def unsubscribe_token(key):
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(key)


def read_unsubscribe(token):
    """The key from an unsubscribe token, or Invalid."""
    try:
        return signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature as error:
        raise Invalid() from error
