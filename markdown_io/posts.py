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

from blog.blocks import LANGUAGES
from blog.outline import list_items

REQUIRED = ("title", "slug", "summary", "date", "topic")
LIST_KEYS = ("tags", "authors")
OPTIONAL = ("applies_to",)  # "Django 5.2, Celery 5.7": the versions the advice was written for
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
    date: datetime.date
    topic: str
    tags: list = field(default_factory=list)
    authors: list = field(default_factory=list)
    applies_to: str = ""
    body: str = ""
    lines: dict = field(default_factory=dict)  # front matter key -> its line number

    def line_of(self, key):
        return self.lines.get(key, 1)


def parse_post(text, path="<string>"):
    """A PostFile from the text of a Markdown file with `---` front matter."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise FrontMatterError(f"{path}:1: the file must start with a '---' front matter line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise FrontMatterError(f"{path}:1: the front matter has no closing '---' line") from None
    meta = {}
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or not key:
            raise FrontMatterError(f"{path}:{number}: expected 'key: value', got {line.strip()!r}")
        if key not in KNOWN:
            raise FrontMatterError(f"{path}:{number}: unknown key {key!r}")
        meta[key] = (number, value.strip())
    for key in REQUIRED:
        if not meta.get(key, (0, ""))[1]:
            raise FrontMatterError(f"{path}:{end + 1}: missing required key {key!r}")
    number, raw_date = meta["date"]
    try:
        date = datetime.date.fromisoformat(raw_date)
    except ValueError:
        raise FrontMatterError(
            f"{path}:{number}: date must be YYYY-MM-DD, got {raw_date!r}"
        ) from None
    lists = {
        key: [item.strip() for item in meta.get(key, (0, ""))[1].split(",") if item.strip()]
        for key in LIST_KEYS
    }
    return PostFile(
        path=Path(str(path)),
        title=meta["title"][1],
        slug=meta["slug"][1],
        summary=meta["summary"][1],
        applies_to=meta.get("applies_to", (0, ""))[1],
        date=date,
        topic=meta["topic"][1],
        body="\n".join(lines[end + 1 :]).strip() + "\n",
        lines={key: number for key, (number, _value) in meta.items()},
        **lists,
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


def _one_line(value):
    return " ".join(str(value).split())


def format_post(post):
    """The text of a Markdown file with front matter for a PostFile; parse_post reads it back."""
    meta = [
        ("title", post.title),
        ("slug", post.slug),
        ("summary", post.summary),
        ("date", post.date.isoformat() if post.date else ""),
        ("topic", post.topic),
        ("tags", ", ".join(post.tags)),
        ("authors", ", ".join(post.authors)),
        ("applies_to", post.applies_to),
    ]
    lines = ["---", *(f"{key}: {_one_line(value)}" for key, value in meta if value), "---"]
    return "\n".join(lines) + "\n" + post.body
