"""The read-only API (Wagtail API v2) at /api/v2/: live public pages, images and documents.

JSON only: Wagtail's viewsets add DRF's browsable HTML renderer whenever rest_framework is
installed, whatever REST_FRAMEWORK says, and that renderer's forms set a CSRF cookie. Each
endpoint here renders JSON and nothing else (`?format=api` is a 404, like any unknown format).
"""

from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet


class JSONPagesAPIViewSet(PagesAPIViewSet):
    renderer_classes = [JSONRenderer]


class JSONImagesAPIViewSet(ImagesAPIViewSet):
    renderer_classes = [JSONRenderer]


class JSONDocumentsAPIViewSet(DocumentsAPIViewSet):
    renderer_classes = [JSONRenderer]


api_router = WagtailAPIRouter("wagtailapi")
# Wagtail's endpoints only answer GET/HEAD/OPTIONS; pages are filtered to live, public ones.
api_router.register_endpoint("pages", JSONPagesAPIViewSet)
api_router.register_endpoint("images", JSONImagesAPIViewSet)
api_router.register_endpoint("documents", JSONDocumentsAPIViewSet)
