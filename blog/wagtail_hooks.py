from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

# Hook modules, registered on import: the editors' tools (link report, dashboard panel, editor
# warnings and checks) and the readers' review flag and accessibility checker settings.
from . import editor_hooks, review  # noqa: F401
from .models import Author, Topic


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = "Topics"
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    add_to_admin_menu = True
    menu_order = 200


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Authors"
    list_display = ["name", "slug", "link"]
    search_fields = ["name", "bio"]
    add_to_admin_menu = True
    menu_order = 210


register_snippet(TopicViewSet)
register_snippet(AuthorViewSet)
