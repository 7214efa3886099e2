"""The readers' "Suggest an entry" form: `<compilation>/suggest/`, routed from the compilation.

The form carries a CSRF token, so its page is never cached: not by the page cache (the token
and its cookie make the response personal, and it says no-store) nor by browsers. The
compilation page itself stays cached; it only links here.

A suggestion taken is answered with a redirect to the thank-you page (`suggest/?sent=<section>`),
so reloading that page, or going back to it, never posts the suggestion again.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from blog import outline
from search.views import retry_after

from .decisions import is_duplicate
from .forms import SuggestionForm
from .models import Status

RATE_WINDOW_SECONDS = 3600


def _uncached(response):
    add_never_cache_headers(response)
    return response


def suggest(request, page):
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    sections = list(outline.sections(page.body.raw_data))
    context = {"page": page, "compilation_url": page.get_url(request)}
    if request.method != "POST":
        sent = next((s for s in sections if s.anchor == request.GET.get("sent")), None)
        if sent is not None:
            return _uncached(
                TemplateResponse(
                    request,
                    "suggestions/thanks.html",
                    {**context, "duplicate": request.GET.get("already") == "1", "section": sent},
                )
            )
        wanted = request.GET.get("section", "")[:100]
        initial = {"section": wanted} if any(s.anchor == wanted for s in sections) else {}
        form = SuggestionForm(initial=initial, sections=sections)
        return _uncached(
            TemplateResponse(request, "suggestions/suggest.html", {**context, "form": form})
        )

    wait = retry_after(
        request, "suggestion", settings.SUGGESTIONS_PER_HOUR, seconds=RATE_WINDOW_SECONDS
    )
    if wait:
        response = TemplateResponse(
            request,
            "suggestions/too_many.html",
            {**context, "minutes": max(1, round(wait / 60))},
            status=429,
        )
        response["Retry-After"] = str(max(wait, 1))
        return _uncached(response)

    form = SuggestionForm(request.POST, sections=sections)
    if not form.is_valid():
        return _uncached(
            TemplateResponse(request, "suggestions/suggest.html", {**context, "form": form})
        )
    duplicate = is_duplicate(page, form.cleaned_data["url"])
    # A filled honeypot is a bot: it gets the same thanks, and nothing is kept.
    if not form.is_spam:
        form.save(page, Status.DUPLICATE if duplicate else Status.NEW)
    query = urlencode(
        {"sent": form.cleaned_data["section"], **({"already": 1} if duplicate else {})}
    )
    response = HttpResponseRedirect(f"{context['compilation_url']}suggest/?{query}")
    response.status_code = 303  # See Other: the thank-you page is fetched with a GET
    return _uncached(response)


def serve_subpages(next_serve):
    """Wraps Wagtail's serving of a page: the compilation's suggestion form is answered here,
    anything else goes on as usual."""

    def serve(page, request, serve_args, serve_kwargs):
        if serve_args == ("suggest",):
            return suggest(request, page)
        return next_serve(page, request, serve_args, serve_kwargs)

    return serve
