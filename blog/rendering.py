"""Markdown and code rendered to HTML, cached by a hash of their source.

Rendered HTML depends only on the source text (and the renderer), so each distinct text is
rendered once, not once per request, and whatever page or block it appears in.

Code written in Markdown (``` and ~~~ fences, also inside list items, and indented code) comes
out in the same box as a Code block: highlighted, labelled with its language, scrolling sideways
as a named, focusable region. Fences are taken out before Markdown runs (Python-Markdown does not
see fences inside list items) and put back, highlighted, after the sanitiser: the highlighted HTML
is ours (Pygments escapes the source), so the sanitiser need not allow the box's attributes.
"""

import hashlib
import html as html_lib
import re
import secrets

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound
from wagtailmarkdown.utils import render_markdown

# Part of every key: bump it when the renderer or its sanitiser settings change, so that no
# HTML rendered by the previous ones is served (2: style attributes are dropped;
# 3: code in Markdown is rendered in the code box).
RENDER_CACHE_VERSION = "3"
RENDER_CACHE_SECONDS = 60 * 60 * 24 * 30

# The languages editors pick for a Code block, with the label readers see above the code.
LANGUAGES = [
    ("python", "Python"),
    ("django", "Django template"),
    ("html", "HTML"),
    ("css", "CSS"),
    ("javascript", "JavaScript"),
    ("json", "JSON"),
    ("yaml", "YAML"),
    ("toml", "TOML"),
    ("ini", "INI / config"),
    ("bash", "Shell"),
    ("console", "Shell session"),
    ("sql", "SQL"),
    ("nginx", "nginx"),
    ("dockerfile", "Dockerfile"),
    ("text", "Plain text"),
]

FENCE_OPEN_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$")
# Indented code: Python-Markdown's codehilite (use_pygments off) leaves it as pre/code.
PRE_CODE_RE = re.compile(
    r'<pre class="codehilite"><code(?: class="language-(?P<lang>[\w+#.-]+)")?>'
    r"(?P<code>.*?)</code></pre>",
    re.S,
)


def _cache_key(kind, text):
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"render:{kind}:{RENDER_CACHE_VERSION}:{digest}"


def language_label(language):
    """What readers see above code: the Code block's label, else the highlighter's name."""
    if not language:
        return "Code"
    label = dict(LANGUAGES).get(language)
    if label:
        return label
    try:
        return get_lexer_by_name(language).name
    except ClassNotFound:
        return language


def _region_label(label, source, filename):
    """A name for the scrolling region, told apart from the page's other code boxes by the file
    name or else by the start of the code's first line."""
    name = label if label == "Code" else f"{label} code"
    if filename:
        return f"{name}, {filename}"
    first = next((line.strip() for line in source.splitlines() if line.strip()), "")
    if len(first) > 40:
        first = first[:40].rstrip() + "…"
    return f"{name}: {first}" if first else name


def code_box(source, language="", filename=""):
    """The one box every way of writing code is shown in (templates/includes/code_box.html)."""
    label = language_label(language)
    return render_to_string(
        "includes/code_box.html",
        {
            "language": language or "text",
            "label": label,
            "region_label": _region_label(label, source, filename),
            "filename": filename,
            "highlighted": highlight_code(source, language or "text"),
        },
    )


def _dedent(line, width):
    """`line` without up to `width` columns of leading spaces (the fence's own indentation)."""
    stripped = line.lstrip(" \t")
    return line[min(width, len(line) - len(stripped)) :]


def _take_fences(text, token):
    """Markdown with each fenced block replaced by a placeholder paragraph, and the blocks."""
    lines = text.split("\n")
    out, fences, i = [], [], 0
    while i < len(lines):
        match = FENCE_OPEN_RE.match(lines[i])
        if not match or (match["fence"][0] == "`" and "`" in match["info"]):
            out.append(lines[i])
            i += 1
            continue
        indent, fence = match["indent"], match["fence"]
        close = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        body, i = [], i + 1
        while i < len(lines) and not close.match(lines[i]):
            body.append(_dedent(lines[i], len(indent.expandtabs(4))))
            i += 1
        i += 1  # the closing fence (or the end of the text)
        info = match["info"].strip().split(None, 1)
        language = info[0].strip("{}.").lower() if info else ""
        filename = info[1].strip() if len(info) > 1 else ""
        fences.append(("\n".join(body) + "\n", language, filename))
        out += ["", f"{indent}{token}x{len(fences) - 1}x", ""]
    return "\n".join(out), fences


def _put_back_fences(html, token, fences):
    for n, (source, language, filename) in enumerate(fences):
        box = code_box(source, language, filename)
        placeholder = f"{token}x{n}x"
        html = html.replace(f"<p>{placeholder}</p>", box).replace(placeholder, box)
    return html


def _box_indented_code(match):
    source = html_lib.unescape(match["code"])
    return code_box(source, (match["lang"] or "").lower())


def markdown_to_html(text):
    """Sanitised HTML for Markdown source, rendered once per distinct text."""
    key = _cache_key("md", text)
    html = cache.get(key)
    if html is None:
        token = f"codefence{secrets.token_hex(8)}"
        markdown, fences = _take_fences(text, token)
        html = str(render_markdown(markdown))  # sanitised with nh3
        html = PRE_CODE_RE.sub(_box_indented_code, html)
        html = _put_back_fences(html, token, fences)
        cache.set(key, html, RENDER_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - nh3-sanitised Markdown and our own code boxes


def highlight_code(source, language):
    """Pygments-highlighted HTML (CSS classes, no inline styles), cached per source and language."""
    key = _cache_key(f"code:{language}", source)
    html = cache.get(key)
    if html is None:
        try:
            lexer = get_lexer_by_name(language, stripall=False)
        except ClassNotFound:
            lexer = get_lexer_by_name("text")
        formatter = HtmlFormatter(cssclass="highlight", wrapcode=True)
        html = highlight(source, lexer, formatter)
        cache.set(key, html, RENDER_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - Pygments escapes the source
