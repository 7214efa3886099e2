"""A local mirror of the seed content's outside links, for offline `check_links` runs.

    .venv/bin/python -m tests.link_mirror --port 8450 &
    .venv/bin/python manage.py check_links --mirror http://127.0.0.1:8450

The mirror knows every URL written in markdown_io/seed/ (posts and site.toml) and answers 200 to
those (HEAD or GET, read from the Host header, X-Forwarded-Proto and the path) and 404 to anything
else, so a link an editor adds after the seed shows up as broken. Nothing leaves the machine.
"""

import argparse
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag

SEED = Path(__file__).resolve().parent.parent / "markdown_io" / "seed"
URL_RE = re.compile(r"https?://[^\s)\"'<>\]]+")


def seed_urls():
    urls = set()
    for path in [*SEED.glob("posts/*.md"), SEED / "site.toml"]:
        for url in URL_RE.findall(path.read_text(encoding="utf-8")):
            urls.add(urldefrag(url.rstrip(".,;:"))[0])
    return urls


class MirrorHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    known = set()

    def log_message(self, *args):
        pass

    def _answer(self):
        scheme = self.headers.get("X-Forwarded-Proto", "http")
        url = f"{scheme}://{self.headers.get('Host', '')}{self.path}"
        status = 200 if url in self.known else 404
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()

    do_HEAD = do_GET = _answer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8450)
    args = parser.parse_args()
    MirrorHandler.known = seed_urls()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), MirrorHandler)
    print(f"Mirroring {len(MirrorHandler.known)} seed URLs on http://127.0.0.1:{args.port}/")  # noqa: T201
    server.serve_forever()


if __name__ == "__main__":
    main()
