"""StreamField blocks for posts and compilations: StructBlocks first, StreamBlocks last."""

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.images.widgets import AdminImageChooser
from wagtailmarkdown.blocks import MarkdownBlock as BaseMarkdownBlock
from wagtailmarkdown.widgets import MarkdownTextarea as BaseMarkdownTextarea

from .outline import section_anchor
from .rendering import LANGUAGES, code_box, markdown_to_html

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h2", "h3", "code", "blockquote"]
NOTE_FEATURES = ["bold", "italic", "link", "code"]


def normalise_newlines(text):
    """Text with \n line endings only: browsers send a textarea's lines ending \r\n, and a
    revision saved from the admin would otherwise differ on every line from one saved in code."""
    if not isinstance(text, str):
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


class MarkdownTextarea(BaseMarkdownTextarea):
    """wagtail-markdown's editor, with its in-browser preview sanitised like the site's own
    rendering (no script, event handlers or javascript: links) and its toolbar fitted to the
    site (## headings, images from the image library, no full screen, reachable by keyboard).

    These scripts must load before wagtail-markdown's own scripts read their options.
    """

    def build_attrs(self, *args, **kwargs):
        attrs = super().build_attrs(*args, **kwargs)
        attrs["data-image-chooser-url"] = reverse("wagtailimages_chooser:choose")
        return attrs

    @property
    def media(self):
        own = forms.Media(js=["js/admin-markdown-preview.js", "js/admin-markdown-toolbar.js"])
        # The image library's chooser, for the toolbar's image button.
        return own + AdminImageChooser().media + super().media


class MarkdownBlock(BaseMarkdownBlock):
    """wagtail-markdown's block, with the rendered HTML cached by content hash."""

    @cached_property
    def field(self):
        return forms.CharField(
            widget=MarkdownTextarea(attrs={"rows": self.rows}), **self.field_options
        )

    def clean(self, value):
        return super().clean(normalise_newlines(value))

    def render_basic(self, value, context=None):
        return markdown_to_html(value or "")

    class Meta:
        icon = "doc-full"
        description = "Text written in Markdown: headings, lists, links, inline code."
        help_text = "Markdown: ## for headings (they build the table of contents), ``` for code."


class CodeValue(blocks.StructValue):
    def box(self):
        """Highlighted and labelled like code written in Markdown."""
        return mark_safe(  # noqa: S308 - Pygments escapes the source; the template escapes the rest
            code_box(
                self.get("source") or "", self.get("language") or "text", self.get("filename") or ""
            )
        )


class CodeBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(
        choices=LANGUAGES, default="python", help_text="Sets the highlighting and the label."
    )
    filename = blocks.CharBlock(
        required=False, max_length=120, help_text="Optional file name shown above the code."
    )
    source = blocks.TextBlock(rows=8, help_text="The code, exactly as readers should copy it.")
    runnable = blocks.BooleanBlock(
        required=False,
        default=False,
        help_text="The test suite runs this example against a test database (Python only).",
    )

    class Meta:
        icon = "code"
        template = "blocks/code.html"
        value_class = CodeValue
        preview_value = {"language": "python", "source": "print('hello, world')"}
        description = "Code with a language, highlighted on the server."
        help_text = "Highlighted on the server; no JavaScript needed."


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(rows=3, help_text="The words quoted, without quotation marks.")
    attribution = blocks.CharBlock(
        required=False, max_length=200, help_text="Who said or wrote it (optional)."
    )
    source_url = blocks.URLBlock(
        required=False, label="Source URL", help_text="Where the quote comes from."
    )

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"
        preview_value = {"quote": "Make it work, make it right, make it fast.", "attribution": ""}
        description = "A quotation, with who said it and where."


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(help_text="Choose or upload an image (JPEG, PNG, GIF or WebP).")
    alt_text = blocks.CharBlock(
        max_length=250,
        help_text=(
            "Describe the image for readers who cannot see it (required); filled in from the "
            "image's description when it has one."
        ),
    )
    caption = blocks.CharBlock(
        required=False, max_length=250, help_text="Shown under the image (optional)."
    )

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        description = "An image with its alt text and an optional caption."


class NoteBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("note", "Note"), ("tip", "Tip"), ("warning", "Warning")],
        default="note",
        help_text="Sets the colour and the label readers see.",
    )
    text = blocks.RichTextBlock(features=NOTE_FEATURES, help_text="A sentence or two.")

    class Meta:
        icon = "warning"
        template = "blocks/note.html"
        preview_value = {"kind": "tip", "text": "<p>Measure before you optimise.</p>"}
        description = "A callout set apart from the text: note, tip or warning."


class LinkBlock(blocks.StructBlock):
    url = blocks.URLBlock(label="URL", help_text="The full address, starting with https://.")
    title = blocks.CharBlock(max_length=200, help_text="The page's own title, or a short name.")
    source = blocks.CharBlock(
        required=False, max_length=60, help_text='Where it lives, e.g. "Django docs".'
    )

    class Meta:
        icon = "link"
        label_format = "{title}"
        description = "One outside link: address, title and where it lives."


class LinkListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        default="Further reading",
        max_length=120,
        help_text='Keep "Further reading" for the closing list (Markdown export relies on it).',
    )
    links = blocks.ListBlock(LinkBlock(), help_text="In the order readers should open them.")

    class Meta:
        icon = "list-ul"
        template = "blocks/link_list.html"
        preview_value = {
            "heading": "Further reading",
            "links": [
                {
                    "url": "https://docs.djangoproject.com/en/5.2/",
                    "title": "Django documentation",
                    "source": "Django docs",
                }
            ],
        }
        description = "A titled list of outside links, usually closing a post."


ANNOTATION_HELP = "One line on why a reader should open it (at most 200 characters)."
ANNOTATION_MAX = 200


class AnnotationBlock(blocks.TextBlock):
    """An entry's annotation: typed in a box of a few lines, kept as one line (readers see it
    beside the link, and Markdown export writes it on the entry's line)."""

    @cached_property
    def field(self):
        # A plain three-line box: Wagtail's auto-growing one starts at a single line.
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **self.field_options)

    def clean(self, value):
        return super().clean(" ".join((value or "").split()))


def _post_entry_preview():
    """The newest live post, so the preview in the block picker shows a real entry."""
    posts = apps.get_model("blog", "TopicPostPage").objects
    post = posts.live().order_by("-date").values_list("pk", flat=True).first()
    return {"page": post, "annotation": "Our own deep dive, with the numbers behind it."}


class PostEntryBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(
        page_type="blog.TopicPostPage",
        help_text="One of our posts; it must be published before the compilation is.",
    )
    annotation = AnnotationBlock(max_length=ANNOTATION_MAX, help_text=ANNOTATION_HELP)

    def get_preview_value(self):
        return self.to_python(_post_entry_preview())

    class Meta:
        icon = "doc-full-inverse"
        label = "Post"
        template = "blocks/post_entry.html"
        preview_template = "blocks/preview_entry.html"
        description = "One of our own posts, with a line on why to read it."


class LinkEntryBlock(blocks.StructBlock):
    url = blocks.URLBlock(
        label="URL", help_text="The full address; the link checker reports it here if it breaks."
    )
    title = blocks.CharBlock(max_length=200, help_text="The page's own title, or a short name.")
    source = blocks.CharBlock(max_length=60, help_text='Where it lives, e.g. "Django docs".')
    annotation = AnnotationBlock(max_length=ANNOTATION_MAX, help_text=ANNOTATION_HELP)

    class Meta:
        icon = "link-external"
        label = "External link"
        template = "blocks/link_entry.html"
        preview_template = "blocks/preview_entry.html"
        label_format = "{title}"
        description = "A page elsewhere (docs, a talk, a paper), with a line on why to read it."
        preview_value = {
            "url": "https://docs.djangoproject.com/en/5.2/topics/cache/",
            "title": "Django's cache framework",
            "source": "Django docs",
            "annotation": "Every cache backend and where each one fits.",
        }


LINK_ENTRY_PREVIEW = LinkEntryBlock().meta.preview_value


class EntriesBlock(blocks.StreamBlock):
    post = PostEntryBlock()
    link = LinkEntryBlock()

    class Meta:
        icon = "list-ol"
        help_text = "Ordered: readers work through them top to bottom."


class SectionValue(blocks.StructValue):
    def anchor_id(self):
        return section_anchor(self.get("heading"), self.get("anchor"))

    def text_html(self):
        return markdown_to_html(self.get("text") or "")


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        max_length=120, help_text="Shown in the table of contents; a few words."
    )
    anchor = blocks.CharBlock(
        required=False,
        max_length=60,
        help_text="The #fragment of this section's link; made from the heading when blank.",
    )
    reviewed = blocks.DateBlock(
        required=False,
        # A section added today has been written today: not "not reviewed for over a year".
        default=timezone.localdate,
        help_text="When an editor last checked it.",
    )
    applies_to = blocks.CharBlock(
        required=False, max_length=80, help_text='Versions it applies to, e.g. "Django 5.2".'
    )
    text = MarkdownBlock(
        required=False, help_text="Markdown: what the section covers and how to read it."
    )
    entries = EntriesBlock(help_text="Ordered: readers work through them top to bottom.")

    def clean(self, value):
        value = super().clean(value)
        anchor = value.get("anchor")
        if anchor and slugify(anchor) != anchor:
            raise blocks.StructBlockValidationError(
                {
                    "anchor": ValidationError(
                        f'Use lowercase letters, digits and "-" only, e.g. "{slugify(anchor)}".'
                    )
                }
            )
        return value

    class Meta:
        icon = "folder-open-inverse"
        template = "blocks/section.html"
        value_class = SectionValue
        form_classname = "section-block"
        label_format = "{heading}"
        preview_template = "blocks/preview.html"
        description = "A heading, a short Markdown text and an ordered list of entries."
        preview_value = {
            "heading": "Caching",
            "text": "Where a cache pays for itself, and how to keep it honest.",
            "entries": [("link", LINK_ENTRY_PREVIEW)],
        }


class PostBodyBlock(blocks.StreamBlock):
    markdown = MarkdownBlock()
    rich_text = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        help_text="Formatted text, for those who prefer it to Markdown.",
        description="Formatted text edited in place.",
    )
    code = CodeBlock()
    quote = QuoteBlock()
    image = ImageBlock()
    note = NoteBlock()
    links = LinkListBlock()


class CompilationBodyBlock(blocks.StreamBlock):
    section = SectionBlock()

    class Meta:
        # A compilation runs to a dozen long sections: the editor opens on their headings.
        collapsed = True

    def clean(self, value):
        value = super().clean(value)
        seen = {}
        errors = {}
        for index, child in enumerate(value):
            anchor = child.value.anchor_id()
            if anchor in seen:
                errors[index] = ValidationError(
                    f'Another section already uses the anchor "{anchor}"; give this one its own.'
                )
            seen.setdefault(anchor, index)
        if errors:
            raise blocks.StreamBlockValidationError(block_errors=errors)
        return value
