"""The content model in the admin: the Topic and Author snippets, and the editor's own styles
and scripts for the blocks (Markdown toolbar faces, the annotation counter, alt text from the
chosen image's description, the compilation editor's section state, summaries and add buttons)."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

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


@hooks.register("insert_global_admin_css")
def markdown_toolbar_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin-markdown.css"))


@hooks.register("insert_editor_js")
def annotation_counter_js():
    return format_html('<script src="{}" defer></script>', static("js/admin-counter.js"))


@hooks.register("insert_editor_js")
def image_alt_text_js():
    return format_html('<script src="{}" defer></script>', static("js/admin-image-alt.js"))


@hooks.register("insert_global_admin_css")
def compilation_editor_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin-compilation.css"))


@hooks.register("insert_editor_js")
def compilation_editor_js():
    return format_html('<script src="{}" defer></script>', static("js/admin-compilation.js"))
