"""Page weight: the bytes of HTML, CSS and JS a first visit to a page downloads.

Usage: python bench/page_weight.py [BASE_URL] (default http://127.0.0.1:8000), against a running
site (`make run`). For each page it fetches the HTML, then every stylesheet (<link
rel="stylesheet">) and script (<script src>) it references on the same site, and prints the
sizes as sent (uncompressed) and gzipped (what a compressing server or CDN sends). Images are not
counted: the seed content has none.
"""

import gzip
import sys
import urllib.parse
import urllib.request
from html.parser import HTMLParser

PAGES = {
    "home": "/",
    "compilation": "/django-at-scale-in-production/",
    "post": "/posts/caching/",
}


class Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.css, self.js = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet" and attrs.get("href"):
            self.css.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.js.append(attrs["src"])


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - a local site
        return response.read()


def weigh(base, path):
    html = fetch(base + path)
    assets = Assets()
    assets.feed(html.decode("utf-8", "replace"))
    sizes = {"html": [len(html), len(gzip.compress(html))], "css": [0, 0], "js": [0, 0]}
    for kind, urls in (("css", assets.css), ("js", assets.js)):
        for url in urls:
            body = fetch(urllib.parse.urljoin(base + path, url))
            sizes[kind][0] += len(body)
            sizes[kind][1] += len(gzip.compress(body))
    return sizes


def main():
    base = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
    header = f"{'page':<12} {'html':>14} {'css':>14} {'js':>14} {'total':>16}"
    print("bytes as sent / gzipped")
    print(header)
    for name, path in PAGES.items():
        sizes = weigh(base, path)
        raw = sum(v[0] for v in sizes.values())
        zipped = sum(v[1] for v in sizes.values())
        cells = " ".join(f"{v[0]:>7}/{v[1]:<6}" for v in sizes.values())
        print(f"{name:<12} {cells} {raw:>8}/{zipped:<7}")


if __name__ == "__main__":
    main()
