"""Posts as Markdown files with front matter: parse them and turn their bodies into blocks.

Used by the seed command (blog/seed/posts/) and by Markdown import and export.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from .blocks import LANGUAGES

REQUIRED = ("title", "slug", "summary", "date", "topic")
LIST_KEYS = ("tags", "authors")
KNOWN = (*REQUIRED, *LIST_KEYS)
FENCE_RE = re.compile(r"^```([\w+-]*)[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
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
    body: str = ""


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
        date=date,
        topic=meta["topic"][1],
        body="\n".join(lines[end + 1 :]).strip() + "\n",
        **lists,
    )


def _language(name):
    name = LANGUAGE_ALIASES.get(name.lower(), name.lower())
    return name if name in dict(LANGUAGES) else "text"


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
            {
                "type": "code",
                "value": {
                    "language": _language(match.group(1) or "text"),
                    "filename": "",
                    "source": match.group(2).rstrip("\n"),
                },
            }
        )
        position = match.end()
    blocks.extend(_prose_blocks(markdown_text[position:]))
    if tail is not None:
        blocks.append(tail)
    return blocks
