"""Whatever an editor types, pastes or imports, readers (and other editors) get no script.

Markdown and code (blog/rendering.py), rich text (blog/templatetags/safe_html.py), titles and
snippets on every public URL, and the admin's Markdown preview (js/admin-markdown-preview.js).
"""

import html
import html.parser
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from blog.rendering import highlight_code, markdown_to_html
from blog.templatetags.safe_html import sanitised_rich_text
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
DANGEROUS_TAGS = {
    "script", "iframe", "object", "embed", "svg", "math", "style", "form", "base", "meta",
    "link", "frame", "frameset", "template", "textarea", "input", "button",
}  # fmt: skip
ID_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "sup", "li")
SAFE_SCHEMES = ("", "http", "https", "mailto", "tel")

# Each is something an editor might paste; none may keep a way to run script or restyle the page.
VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src="x.png" onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<form action="https://evil.example/"><button>Go</button></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>body{display:none}</style>",
    '<p style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</p>',
    '<div style="background:url(javascript:alert(1))">bg</div>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;&#x61;vascript:alert(1))",
    "[click](java%0Ascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    "[ref][1]\n\n[1]: javascript:alert(1)",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">data</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">ent</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href=" javascript:alert(1)">space</a>',
    '<a href="javascript&colon;alert(1)">colon</a>',
    '<div onclick="alert(1)" onmouseover="alert(1)">div</div>',
    '<a href="https://example.com/" onfocus="alert(1)" autofocus>x</a>',
    '<img src="https://example.com/x.png" srcset="javascript:alert(1)">',
    '<div id="wagtail-config">clobber</div>',
    "<!--<script>alert(1)//-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
]


class Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def unsafe_parts(markup, check_ids=True):
    """Every element or attribute in `markup` that could run script or restyle the page.

    A URL is safe when relative or with a listed scheme, read as a browser would (ignoring
    surrounding spaces, tabs and new lines).
    """
    parser = Collector()
    parser.feed(str(markup))
    found = []
    for tag, attrs in parser.tags:
        if tag in DANGEROUS_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or name in ("style", "srcset", "formaction"):
                found.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "data", "background"):
                url = re.sub(r"[\t\n\r]", "", (value or "").strip())
                if urlsplit(url).scheme.lower() not in SAFE_SCHEMES:
                    found.append(f"{tag}[{name}={value!r}]")
            if (
                check_ids
                and name == "id"
                and tag not in ("h1", "h2", "h3", "h4", "h5", "h6", "sup", "li")
            ):
                found.append(f"{tag}[id]")
    return found


@pytest.mark.parametrize("source", VECTORS)
def test_markdown_keeps_no_script_or_styles(source):
    rendered = markdown_to_html(f"Before.\n\n{source}\n\nAfter.")

    assert unsafe_parts(rendered) == []
    assert "Before." in rendered


def test_markdown_keeps_the_markup_posts_need():
    source = "## Caching\n\nUse **Redis**, see [docs](https://docs.djangoproject.com/) or [a post](/posts/x/).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nx = 1\n```\n"  # noqa: E501

    rendered = str(markdown_to_html(source))

    assert '<h2 id="caching">Caching</h2>' in rendered
    assert '<a href="https://docs.djangoproject.com/">docs</a>' in rendered
    assert '<a href="/posts/x/">a post</a>' in rendered
    assert "<table>" in rendered and "<strong>Redis</strong>" in rendered
    assert 'class="code-block"' in rendered and 'class="highlight"' in rendered


HOSTILE = """
Hello <script>alert('x')</script> world.

<img src="x.png" onerror="alert(1)">

[click me](javascript:alert(1))

<a href="JaVaScRiPt:alert(2)">mixed case</a>

<a href="&#106;avascript:alert(3)">entity</a>

<div onclick="alert(4)">div</div>
"""


def test_markdown_strips_scripts_handlers_and_javascript_links():
    html = str(markdown_to_html(HOSTILE)).lower()

    assert "<script" not in html
    assert "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html
    assert "hello" in html and "click me" in html


def test_code_is_escaped_not_executed():
    html = str(highlight_code("<script>alert(1)</script>", "html"))

    assert "<script>" not in html
    assert "&lt;" in html


@pytest.mark.parametrize("source", VECTORS)
def test_rich_text_is_sanitised_on_output(source):
    # Rich text from the admin editor is already clean; this covers imports and raw edits.
    assert unsafe_parts(sanitised_rich_text(f"<p>Before.</p>{source}<p>After.</p>")) == []


@pytest.mark.django_db
def test_hostile_rich_text_and_notes_reach_readers_sanitised(client, index):
    hostile = "".join(VECTORS[:16])
    body = [
        {
            "type": "rich_text",
            "value": f'<p>Plain <b>bold</b> <a href="/posts/">posts</a></p>{hostile}',
        },
        {"type": "note", "value": {"kind": "tip", "text": f"<p>Tip text</p>{hostile}"}},
    ]
    post = factories.make_post(index, body=body)

    page = client.get(post.url).content.decode()
    main = page[page.index("<main") : page.index("</main>")]

    assert unsafe_parts(main, check_ids=False) == []
    assert "<b>bold</b>" in main and '<a href="/posts/">posts</a>' in main
    assert "Tip text" in main


@pytest.mark.django_db
def test_hostile_markdown_reaches_readers_sanitised(client, index):
    post = factories.make_post(index, body=[{"type": "markdown", "value": HOSTILE}])

    html = client.get(post.url).content.decode().lower()

    assert "alert(1)" not in html.replace("alert(1)</span>", "")  # only inside code, never live
    assert "<script>alert" not in html
    assert "onerror=" not in html
    assert 'href="javascript' not in html


HOSTILE_TEXT = '</title></script><script>alert(7)</script>"><img src=x onerror=alert(7)>'
MARKERS = ["<script>alert(7)", "<img src=x onerror=alert(7)>"]
PUBLIC_URLS = [
    "/",
    "/django-at-scale-in-production/",
    "/posts/",
    "/posts/hostile-post/",
    "/topics/hostile/",
    "/tags/hostile/",
    "/search/?q=alert",
    "/search/suggest/?q=alert",
    "/feed/",
    "/feed/atom/",
    "/sitemap.xml",
    "/api/v2/pages/?type=blog.TopicPostPage&fields=*",
    "/api/v2/pages/",
]


@pytest.mark.django_db
def test_titles_and_snippets_are_escaped_on_every_public_url(client, index):
    """Pages, listings, search, feeds, the sitemap, metadata, JSON-LD and the API."""
    topic = factories.make_topic(name=HOSTILE_TEXT, slug="hostile", description=HOSTILE_TEXT)
    author = factories.make_author(name=HOSTILE_TEXT, bio=HOSTILE_TEXT)
    post = factories.make_post(
        index,
        slug="hostile-post",
        title=f"alert {HOSTILE_TEXT}",
        summary=HOSTILE_TEXT,
        seo_title=HOSTILE_TEXT,
        search_description=HOSTILE_TEXT,
        topic=topic,
        authors=[author],
        tags=["hostile", HOSTILE_TEXT[:90]],
    )
    home = index.get_parent().specific
    compilation = factories.make_compilation(
        home,
        [
            factories.section(
                HOSTILE_TEXT[:110],
                [
                    factories.post_entry(post, HOSTILE_TEXT),
                    factories.link_entry(
                        title=HOSTILE_TEXT, source=HOSTILE_TEXT[:60], annotation=HOSTILE_TEXT
                    ),
                ],
                text=HOSTILE_TEXT,
            )
        ],
        summary=HOSTILE_TEXT,
        intro=HOSTILE_TEXT,
    )
    home.featured_compilation = compilation
    factories.publish(home)
    checked = 0

    for url in PUBLIC_URLS:
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200:
            continue  # nothing rendered to check
        checked += 1
        body = response.content.decode()
        if response["Content-Type"].startswith("application/json"):
            json.loads(body)  # a JSON string may hold the text as it is; it is never markup
            continue
        for marker in MARKERS:
            assert marker not in body, f"{url} shows {marker!r} unescaped"

    assert checked >= 5


@pytest.mark.django_db
def test_titles_are_escaped(client, index):
    post = factories.make_post(index, title='<b>"Bold" & sure</b>')

    html = client.get(post.url).content.decode()

    assert "<b>&quot;Bold&quot;" not in html
    assert "&lt;b&gt;&quot;Bold&quot; &amp; sure&lt;/b&gt;" in html


@pytest.mark.django_db
def test_the_admin_markdown_editor_loads_the_preview_sanitiser_first(client, index, editor):
    post = factories.make_post(index)
    client.force_login(editor)

    page = client.get(reverse("wagtailadmin_pages:edit", args=(post.pk,))).content.decode()

    guard = page.find("js/admin-markdown-preview.js")
    assert guard != -1
    assert guard < page.find("wagtailmarkdown/js/easymde.attach.js")


BROWSER_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><script src="{script}"></script></head>
<body><div id="preview"></div><pre id="out"></pre><script>
window.pwned = false;
var hostile = {hostile};
var clean = hostile.map(function (html) {{ return window.wagtailMarkdown.sanitisePreview(html); }});
document.getElementById("preview").innerHTML = clean.join("\\n");
var md = window.wagtailMarkdown;
var wired = md.options.renderingConfig.sanitizerFunction === md.sanitisePreview;
setTimeout(function () {{
  var result = {{clean: clean, pwned: window.pwned, wired: wired}};
  document.getElementById("out").textContent = JSON.stringify(result);
}}, 500);
</script></body></html>
"""


@pytest.mark.skipif(not shutil.which("chromium"), reason="needs Chromium")
def test_the_admin_markdown_preview_sanitiser_in_a_real_browser(tmp_path):
    hostile = [v.replace("alert(1)", "window.pwned=true") for v in VECTORS if "<" in v]
    hostile += [
        '<h2 id="ok">Kept</h2><p><strong>bold</strong> <a href="https://example.com/">link</a></p>'
    ]
    script = (ROOT / "static" / "js" / "admin-markdown-preview.js").as_uri()
    page = tmp_path / "preview.html"
    # Inside a <script> block "</" and "<!--" would end or confuse it; \u003c reads back as "<".
    data = json.dumps(hostile).replace("<", "\\u003c")
    page.write_text(BROWSER_PAGE.format(script=script, hostile=data))

    result = subprocess.run(  # noqa: S603 - a fixed local command
        [
            shutil.which("chromium"),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--allow-file-access-from-files",
            "--virtual-time-budget=3000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=90,
    )
    dom = result.stdout
    out = dom[dom.index('<pre id="out">') + len('<pre id="out">') : dom.index("</pre>")]
    data = json.loads(html.unescape(out))

    assert data["wired"] is True
    assert data["pwned"] is False
    assert [unsafe_parts(clean) for clean in data["clean"]] == [[]] * len(hostile)
    assert '<h2 id="ok">Kept</h2>' in data["clean"][-1]
    assert '<a href="https://example.com/">link</a>' in data["clean"][-1]
