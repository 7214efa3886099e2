"""Admin edit POSTs that the editor's own forms never send, or that race each other.

- A POST whose form data is malformed (a StreamField's `body-count` missing or not a number, as
  a truncated or hand-made request sends it) makes Wagtail's form code raise instead of reporting
  a form error. That is the client's mistake: a 400, not a 500.
- Wagtail's autosave creates a new page as soon as its form is complete. When the editor presses
  Publish while that first autosave is still in flight, the Publish POST to the create view was
  validated before the autosaved page existed and then fails to add a page with the same slug.
  The Publish is then applied to the autosaved page, through its edit view, with the content the
  editor posted: nothing is lost and the page is published as asked.
"""

import datetime

from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDictKeyError
from wagtail.admin import messages
from wagtail.models import Page

# A page an autosave created this long ago or less can take the create view's content.
AUTOSAVED_WITHIN = datetime.timedelta(hours=1)
MALFORMED_MESSAGE = (
    "The form data was incomplete or malformed, so nothing was saved. "
    "Reload the editor and try again."
)


def _is_malformed_form_data(exception):
    if isinstance(exception, MultiValueDictKeyError):
        return True
    # int() of a formset's "-count" field that is not a number.
    return isinstance(exception, ValueError) and str(exception).startswith(
        "invalid literal for int()"
    )


def _autosaved_page(request, exception):
    """The page an autosave of this create form made, when the exception is its slug clash."""
    match = request.resolver_match
    if (
        match is None
        or match.view_name != "wagtailadmin_pages:add"
        or not isinstance(exception, ValidationError)
        or "slug" not in getattr(exception, "error_dict", {})
    ):
        return None
    parent = Page.objects.filter(pk=match.kwargs["parent_page_id"]).first()
    if parent is None:
        return None
    return (
        parent.get_children()
        .filter(
            slug=request.POST.get("slug", ""),
            owner=request.user,
            live=False,
            first_published_at__isnull=True,
            content_type__app_label=match.kwargs["content_type_app_name"],
            content_type__model=match.kwargs["content_type_model_name"],
            latest_revision_created_at__gte=timezone.now() - AUTOSAVED_WITHIN,
        )
        .first()
    )


class AdminEditRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        if request.method != "POST" or not request.path.startswith(self.admin_prefix):
            return None
        if _is_malformed_form_data(exception):
            return HttpResponseBadRequest(MALFORMED_MESSAGE, content_type="text/plain")
        page = _autosaved_page(request, exception)
        if page is None:
            return None
        messages.info(
            request,
            f"'{page.title}' had already been saved automatically; "
            "what you submitted was applied to that page.",
        )
        edit = resolve(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
        return edit.func(request, *edit.args, **edit.kwargs)
