"""The readers' form, its checks on the link, and the editors' reason for a rejection."""

import ipaddress
from urllib.parse import urlsplit, urlunsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linkhealth.checker import refused_address

from .models import (
    ANNOTATION_MAX,
    CREDIT_MAX,
    EMAIL_MAX,
    REASON_MAX,
    TITLE_MAX,
    URL_MAX,
    Suggestion,
)

# Host names that only mean something inside a network.
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".lan", ".home.arpa")
DEFAULT_PORTS = {"http": 80, "https": 443}


def one_line(text):
    return " ".join((text or "").split())


def normalise_url(url):
    """The form two spellings of one link share: scheme and host in lower case, no default
    port, no #fragment, no trailing slash."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    if port and port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path.rstrip("/"), parts.query, ""))


def check_public_url(url):
    """Raise ValidationError unless `url` is an http(s) link to a public host, without a user
    name or password in it."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ValidationError(_("This is not a web address.")) from None
    if parts.scheme.lower() not in DEFAULT_PORTS:
        raise ValidationError(_("Only http:// and https:// links can be suggested."))
    if parts.username is not None or parts.password is not None:
        raise ValidationError(_("Leave the user name and password out of the link."))
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise ValidationError(_("This link has no host name."))
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        # The same guard the link checker uses before it connects anywhere.
        private = bool(refused_address(address))
    else:
        labels = host.lower().split(".")
        private = (
            len(labels) < 2
            or labels[-1].isdigit()  # 127.1 and other short spellings of an address
            or host.lower() == "localhost"
            or ("." + host.lower()).endswith(LOCAL_SUFFIXES)
        )
    if private:
        raise ValidationError(_("This link points inside a private network."))
    URLValidator(message=_("This is not a web address."))(url)


class SuggestionForm(forms.Form):
    url = forms.CharField(
        label=pgettext_lazy("suggestion form", "Link"),
        max_length=URL_MAX,
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "url"}),
    )
    title = forms.CharField(label=pgettext_lazy("suggestion form", "Title"), max_length=TITLE_MAX)
    section = forms.ChoiceField(label=_("Section"))
    annotation = forms.CharField(
        label=_("Why should readers open it?"),
        max_length=ANNOTATION_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": ANNOTATION_MAX}),
        help_text=format_lazy(_("One line, at most {max} characters."), max=ANNOTATION_MAX),
    )
    email = forms.EmailField(
        label=_("Your e-mail (optional)"),
        max_length=EMAIL_MAX,
        required=False,
        help_text=_("Only to tell you whether it was added; never shown on the site."),
    )
    credit = forms.BooleanField(label=_("Credit me in the entry"), required=False)
    credit_name = forms.CharField(
        label=pgettext_lazy("suggestion form", "as"),
        max_length=CREDIT_MAX,
        required=False,
        help_text=_("The name to show, e.g. your first name or handle."),
    )
    # The honeypot: hidden from people (CSS and aria-hidden), filled in by form-filling bots.
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=URL_MAX)

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = {section.anchor: section for section in sections}
        self.fields["section"].choices = [("", _("Choose a section"))] + [
            (section.anchor, section.heading) for section in sections
        ]
        for name in ("url", "title", "annotation", "credit_name"):
            self.fields[name].widget.attrs.setdefault("maxlength", self.fields[name].max_length)

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        check_public_url(url)
        return url

    def clean_title(self):
        return one_line(self.cleaned_data["title"])

    def clean_annotation(self):
        return one_line(self.cleaned_data["annotation"])

    def clean_credit_name(self):
        return one_line(self.cleaned_data["credit_name"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("credit") and not cleaned.get("credit_name"):
            self.add_error("credit_name", _("Give the name to credit, or untick the box."))
        return cleaned

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("website"))

    def save(self, compilation, status):
        data = self.cleaned_data
        section = self.sections[data["section"]]
        return Suggestion.objects.create(
            compilation=compilation,
            url=data["url"],
            title=data["title"],
            section_id=section.id,
            section_heading=section.heading,
            annotation=data["annotation"],
            email=data["email"],
            credit_name=data["credit_name"] if data["credit"] else "",
            status=status,
        )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sent to the reader if they left an address.",
    )
