"""Posts as Markdown files with front matter: parse them, turn their bodies into blocks, and
write blocks back out as Markdown.

Used by the seed command (markdown_io/seed/posts/) and by `import_markdown` / `export_markdown`.
Writing then parsing gives the same blocks for everything parsing produces (Markdown, code,
notes, a closing "Further reading" list); other blocks are written as their nearest Markdown.
"""

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml
from django.conf import settings

from blog.blocks import LANGUAGES
from blog.outline import list_items

REQUIRED = ("title", "slug", "summary", "topic")
LIST_KEYS = ("tags", "authors")
# date: blank (or left out) dates the post the day it goes live, as in the admin.
# applies_to: "Django 5.2, Celery 5.7", the versions the advice was written for.
# type: "post" (the default) or "compilation" (markdown_io/compilations.py).
# language: one of LANGUAGES ("en", "fr"); left out, the default language.
OPTIONAL = ("date", "applies_to", "type", "language")
KNOWN = (*REQUIRED, *LIST_KEYS, *OPTIONAL)
# ```python settings/base.py: the language, then an optional file name shown above the code;
# ```python runnable: `runnable` before the file name marks an example the test suite runs.
RUNNABLE = "runnable"
FENCE_RE = re.compile(r"^```([\w+-]*)(?:[ \t]+([^\n`]*?))?[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
CALLOUT_RE = re.compile(r"^> \[!(NOTE|TIP|WARNING)\][ \t]*\n((?:^>.*\n?)+)", re.M)
FURTHER_RE = re.compile(r"^## Further reading[ \t]*\n(.*)\Z", re.M | re.S)
LINK_ITEM_RE = re.compile(r"^[-*] \[([^\]]+)\]\((https?://[^)\s]+)\)(?:\s*[-—:]+\s*(.*))?$")
LANGUAGE_ALIASES = {"py": "python", "sh": "bash", "shell": "bash", "htmldjango": "django"}


class FrontMatterError(ValueError):
    """A Markdown file whose front matter cannot be used; the message names file and line."""


@dataclass
class PostFile:
    path: Path
    title: str
    slug: str
    summary: str
    date: datetime.date | None
    topic: str
    tags: list = field(default_factory=list)
    authors: list = field(default_factory=list)
    applies_to: str = ""
    body: str = ""
    lines: dict = field(default_factory=dict)  # front matter key -> its line number
    language: str = ""  # blank: the default language

    def line_of(self, key):
        return self.lines.get(key, 1)


@dataclass
class FrontMatter:
    """The YAML between a file's `---` lines, where each key is, and the text after it."""

    path: Path
    meta: dict
    lines: dict  # key -> line number in the file
    end: int  # the line number of the closing '---'
    body: str
    body_line: int  # the line number the body starts on

    def line_of(self, key):
        return self.lines.get(key, self.end)

    def text(self, key, required=False):
        """A scalar value as text; blank when missing (an error when required)."""
        value = self.meta.get(key)
        if value is None or value == "":
            if required:
                raise FrontMatterError(f"{self.path}:{self.end}: missing required key {key!r}")
            return ""
        if isinstance(value, dict | list):
            raise FrontMatterError(
                f"{self.path}:{self.line_of(key)}: {key} must be a single value, not a list"
            )
        return " ".join(str(value).split())

    def items(self, key):
        """A list value: a YAML list, or (as older files wrote them) comma-separated text."""
        value = self.meta.get(key)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list) or any(isinstance(v, dict | list) for v in value):
            raise FrontMatterError(
                f"{self.path}:{self.line_of(key)}: {key} must be a list, e.g. {key}: [a, b]"
            )
        return [str(item).strip() for item in value if str(item).strip()]

    def language(self):
        """The `language:` code, one of LANGUAGES; blank when left out."""
        code = self.text("language").lower()
        known = [language for language, _name in settings.LANGUAGES]
        if code and code not in known:
            raise FrontMatterError(
                f"{self.path}:{self.line_of('language')}: unknown language {code!r}; "
                f"known languages: {', '.join(known)}"
            )
        return code

    def date(self, key, required=False):
        value = self.meta.get(key)
        if value is None or value == "":
            if required:
                raise FrontMatterError(f"{self.path}:{self.end}: missing required key {key!r}")
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            raise FrontMatterError(
                f"{self.path}:{self.line_of(key)}: {key} must be YYYY-MM-DD, got {value!r}"
            ) from None


def read_front_matter(text, path="<string>", known=None):
    """The front matter of a Markdown file: YAML between `---` lines, as Jekyll, Hugo and
    Eleventy read it (`tags: [a, b]` is a list of two tags)."""
    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise FrontMatterError(f"{path}:1: the file must start with a '---' front matter line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise FrontMatterError(f"{path}:1: the front matter has no closing '---' line") from None
    source = "\n".join(lines[1:end])
    try:
        node = yaml.compose(source, Loader=yaml.SafeLoader)
        meta = yaml.safe_load(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error)
        hint = " (quote a value that holds ': ' or starts with a quote or bracket)"
        raise FrontMatterError(
            f"{path}:{line}: the front matter is not valid YAML: {problem}{hint}"
        ) from None
    if meta is None:
        meta, node = {}, None
    if not isinstance(meta, dict):
        raise FrontMatterError(f"{path}:2: the front matter must be 'key: value' lines")
    key_lines = {}
    for key_node, _value in getattr(node, "value", []):
        key_lines[str(key_node.value)] = key_node.start_mark.line + 2
    meta = {str(key): value for key, value in meta.items()}
    for key in meta:
        if known is not None and key not in known:
            raise FrontMatterError(f"{path}:{key_lines.get(key, 1)}: unknown key {key!r}")
    return FrontMatter(
        path=Path(str(path)),
        meta=meta,
        lines=key_lines,
        end=end + 1,
        body="\n".join(lines[end + 1 :]),
        body_line=end + 2,
    )


def parse_post(text, path="<string>"):
    """A PostFile from the text of a Markdown file with `---` YAML front matter."""
    front = read_front_matter(text, path, known=KNOWN)
    return post_from_front_matter(front)


def post_from_front_matter(front):
    return PostFile(
        path=front.path,
        title=front.text("title", required=True),
        slug=front.text("slug", required=True),
        summary=front.text("summary", required=True),
        applies_to=front.text("applies_to"),
        date=front.date("date"),
        topic=front.text("topic", required=True),
        tags=front.items("tags"),
        authors=front.items("authors"),
        body=front.body.strip() + "\n",
        lines=front.lines,
        language=front.language(),
    )


def _language(name):
    name = LANGUAGE_ALIASES.get(name.lower(), name.lower())
    return name if name in dict(LANGUAGES) else "text"


def code_value(language, info, source):
    """A code block's value from a fence: its language word, the rest of its line, the code."""
    words = (info or "").split(None, 1)
    runnable = bool(words) and words[0] == RUNNABLE
    filename = (words[1] if len(words) > 1 else "") if runnable else (info or "")
    return {
        "language": _language(language or "text"),
        "filename": filename.strip()[:120],
        "source": source.rstrip("\n"),
        "runnable": runnable,
    }


def code_fence_info(value):
    """The fence's info string for a code block value; code_value reads it back."""
    language = value.get("language") or "text"
    words = [RUNNABLE] if value.get("runnable") else []
    words += [(value.get("filename") or "").strip()]
    rest = " ".join(word for word in words if word)
    if rest:
        return f"{language} {rest}"
    return "" if language == "text" else language


def _prose_blocks(text):
    """Markdown blocks, with GitHub-style callouts as note blocks."""
    from wagtailmarkdown.utils import render_markdown

    blocks, position = [], 0
    for match in CALLOUT_RE.finditer(text):
        before = text[position : match.start()].strip()
        if before:
            blocks.append({"type": "markdown", "value": before})
        inner = "\n".join(line[1:].lstrip() for line in match.group(2).splitlines())
        blocks.append(
            {
                "type": "note",
                "value": {"kind": match.group(1).lower(), "text": str(render_markdown(inner))},
            }
        )
        position = match.end()
    rest = text[position:].strip()
    if rest:
        blocks.append({"type": "markdown", "value": rest})
    return blocks


def _further_reading(text):
    """A link list block from a closing '## Further reading' list, or None if it is not one."""
    links = []
    for line in text.strip().splitlines():
        match = LINK_ITEM_RE.match(line.strip())
        if not match:
            return None
        title, url, note = match.groups()
        links.append({"url": url, "title": title, "source": (note or "").strip()[:60]})
    if not links:
        return None
    return {"type": "links", "value": {"heading": "Further reading", "links": links}}


def body_blocks(markdown_text):
    """Raw StreamField data for a post body written in Markdown.

    Fenced code becomes code blocks, `> [!NOTE]` callouts become note blocks, a closing
    '## Further reading' list of links becomes a link list, and the rest stays Markdown.
    """
    tail = None
    further = FURTHER_RE.search(markdown_text)
    if further:
        tail = _further_reading(further.group(1))
        if tail is not None:
            markdown_text = markdown_text[: further.start()]
    blocks, position = [], 0
    for match in FENCE_RE.finditer(markdown_text):
        blocks.extend(_prose_blocks(markdown_text[position : match.start()]))
        blocks.append(
            {"type": "code", "value": code_value(match.group(1), match.group(2), match.group(3))}
        )
        position = match.end()
    blocks.extend(_prose_blocks(markdown_text[position:]))
    if tail is not None:
        blocks.append(tail)
    return blocks


# Writing posts back out -----------------------------------------------------------------------

NOTE_MARKERS = {"note": "NOTE", "tip": "TIP", "warning": "WARNING"}
MARKDOWN_SPECIAL_RE = re.compile(r"([\\`*_\[\]])")


class _HtmlToMarkdown(HTMLParser):
    """Markdown for the small HTML that notes and rich text hold (paragraphs, emphasis, code,
    links, lists, headings). Text is escaped so that rendering it gives the same HTML back."""

    INLINE = {"strong": "**", "b": "**", "em": "*", "i": "*"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.lists = []
        self.href = []
        self.in_code = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.INLINE:
            self.out.append(self.INLINE[tag])
        elif tag == "code":
            self.in_code += 1
            self.out.append("`")
        elif tag == "a":
            self.href.append(dict(attrs).get("href") or "")
            self.out.append("[")
        elif tag == "br":
            self.out.append("  ")
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        elif tag == "li" and self.lists:
            kind = self.lists[-1]
            kind[1] += 1
            self.out.append("\n- " if kind[0] == "ul" else f"\n{kind[1]}. ")
        elif tag in ("h2", "h3", "h4"):
            self.out.append("#" * int(tag[1]) + " ")
        elif tag == "blockquote":
            self.out.append("> ")

    def handle_endtag(self, tag):
        if tag in self.INLINE:
            self.out.append(self.INLINE[tag])
        elif tag == "code":
            self.in_code -= 1
            self.out.append("`")
        elif tag == "a" and self.href:
            self.out.append(f"]({self.href.pop()})")
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.out.append("\n\n")
        elif tag in ("p", "h2", "h3", "h4", "blockquote"):
            self.out.append("\n\n")

    def handle_data(self, data):
        if self.lists and not data.strip():
            return  # the newlines between list items
        self.out.append(data if self.in_code else MARKDOWN_SPECIAL_RE.sub(r"\\\1", data))

    def markdown(self):
        return re.sub(r"\n{3,}", "\n\n", "".join(self.out)).strip()


def html_to_markdown(html):
    parser = _HtmlToMarkdown()
    parser.feed(str(html or ""))
    parser.close()
    return parser.markdown()


def blocks_to_markdown(raw_blocks):
    """(Markdown text, the block types written only approximately) for raw StreamField data.

    Markdown, code, note blocks and a closing "Further reading" link list come back exactly
    when the text is parsed again; rich text, quotes and other link lists become Markdown;
    images have no Markdown form here and are left out (their type is reported).
    """
    parts, approximate = [], []
    last = len(raw_blocks) - 1
    for position, block in enumerate(raw_blocks):
        kind, value = block.get("type"), block.get("value")
        if kind == "markdown":
            if (value or "").strip():
                parts.append(value.strip())
        elif kind == "code":
            parts.append(f"```{code_fence_info(value)}\n{value.get('source') or ''}\n```")
        elif kind == "note":
            marker = NOTE_MARKERS.get(value.get("kind"), "NOTE")
            lines = [f"[!{marker}]", *html_to_markdown(value.get("text")).splitlines()]
            parts.append("\n".join(f"> {line}" if line else ">" for line in lines))
        elif kind == "links":
            heading = value.get("heading") or "Further reading"
            items = []
            for link in list_items(value.get("links")):
                source = (link.get("source") or "").strip()
                item = f"- [{link.get('title')}]({link.get('url')})"
                items.append(f"{item} — {source}" if source else item)
            if not (position == last and heading == "Further reading"):
                approximate.append(kind)
            parts.append(f"## {heading}\n\n" + "\n".join(items))
        elif kind == "rich_text":
            approximate.append(kind)
            parts.append(html_to_markdown(value))
        elif kind == "quote":
            approximate.append(kind)
            lines = (value.get("quote") or "").splitlines()
            if value.get("attribution"):
                lines += ["", f"— {value['attribution']}"]
            parts.append("\n".join(f"> {line}" if line else ">" for line in lines))
        else:
            approximate.append(kind)
    return "\n\n".join(part for part in parts if part) + "\n", approximate


def format_front_matter(meta):
    """YAML front matter for a dict, between `---` lines; lists are written `[a, b]`."""
    lines = []
    for key, value in meta.items():
        # A mapping holding a list writes the list in brackets; one holding a scalar, as a line.
        flow = None if isinstance(value, list) else False
        lines.append(
            yaml.safe_dump(
                {key: value},
                sort_keys=False,
                allow_unicode=True,
                default_flow_style=flow,
                width=1000,
            )
        )
    return "---\n" + "".join(lines) + "---\n"


def written_language(code):
    """The `language:` to write for a page in `code`: none for the default language (left
    out, it is the default), so English files read as they always did."""
    return "" if code == settings.LANGUAGE_CODE else code


def format_post(post):
    """The text of a Markdown file with front matter for a PostFile; parse_post reads it back."""
    meta = {
        "title": post.title,
        "slug": post.slug,
        "summary": post.summary,
        "date": post.date,
        "topic": post.topic,
        "tags": list(post.tags),
        "authors": list(post.authors),
        "applies_to": post.applies_to,
        "language": post.language,
    }
    return format_front_matter({k: v for k, v in meta.items() if v}) + post.body
