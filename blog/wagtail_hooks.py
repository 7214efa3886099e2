"""The content model in the admin: the Topic and Author snippets, and the editor's own styles
and scripts for the blocks (Markdown toolbar faces, the annotation counter, alt text from the
chosen image's description, a section editor's open entries, summary and add buttons)."""

from django.templatetags.static import static
from django.utils.html import format_html_join
from wagtail import hooks
from wagtail.log_actions import LogFormatter
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


# The editor's own files, in the order they load.
ADMIN_STYLES = ("css/admin-markdown.css", "css/admin-compilation.css")
EDITOR_SCRIPTS = ("js/admin-counter.js", "js/admin-image-alt.js", "js/admin-compilation.js")


@hooks.register("insert_global_admin_css")
def admin_styles():
    return format_html_join(
        "", '<link rel="stylesheet" href="{}">', ((static(path),) for path in ADMIN_STYLES)
    )


@hooks.register("insert_editor_js")
def editor_scripts():
    return format_html_join(
        "", '<script src="{}" defer></script>', ((static(path),) for path in EDITOR_SCRIPTS)
    )


@hooks.register("register_log_actions")
def register_section_log_actions(actions):
    @actions.register_action("blog.sections_assembled")
    class SectionsAssembled(LogFormatter):
        label = "Sections assembled"

        def format_message(self, log_entry):
            title = (log_entry.data.get("section") or {}).get("title") or "a section"
            return f"Published with the change to the section “{title}”"
