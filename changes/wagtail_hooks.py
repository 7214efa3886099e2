from wagtail import hooks

from .notes import keep_publish_note
from .views import serve_subpages

hooks.register("before_publish_page", keep_publish_note)
# The compilation routes <compilation>/changes/ and changes/feed/ to itself with the sub-page's
# name (CompilationPage.route); this answers them in place of the page's own serve(), inside
# Wagtail's view-restriction check (order 0 wraps the others): a private compilation keeps its
# log private.
hooks.register("on_serve_page", serve_subpages, order=100)
