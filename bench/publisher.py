"""An editor publishing every few seconds, for the publish-storm benchmark (bench/publishing.py).

Run with the site's environment (production settings, the bench database and Redis). Every
`--every` seconds it publishes the next post with a numbered title, then measures, over HTTP on
127.0.0.1:`--port`, how long until the post itself and the listing show that title. At the end
every post gets its own title back (published once more). Prints one JSON object.

    python -m bench.publisher --port 8470 --every 5 --seconds 30
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_project.settings.production")

import django

django.setup()

from bench.common import HTTPS_HEADERS, get  # noqa: E402
from blog.models import TopicPostPage  # noqa: E402

# Never the canonical form: the poller must see what readers see, not render the page itself.
PROBE = "?from=bench-publisher"
LISTING = "/posts/"


def seconds_until_shown(port, path, text, limit=30.0):
    """Seconds until an anonymous GET of `path` contains `text` (None past `limit`)."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        status, _, body = get(port, path, HTTPS_HEADERS)
        if status == 200 and text.encode() in body:
            return time.monotonic() - started
        time.sleep(0.05)
    return None


def publish(post, title):
    post.title = title
    post.save_revision().publish()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--every", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    posts = list(TopicPostPage.objects.live().order_by("-date", "pk")[:5])
    originals = {post.pk: post.title for post in posts}
    shown_post, shown_listing = [], []
    started = time.monotonic()
    n = 0
    try:
        while time.monotonic() - started + args.every <= args.seconds:
            time.sleep(args.every)
            post = posts[n % len(posts)]
            n += 1
            title = f"{originals[post.pk]} (edition {n})"
            publish(post, title)
            shown_post.append(seconds_until_shown(args.port, post.url + PROBE, title))
            shown_listing.append(seconds_until_shown(args.port, LISTING + PROBE, title))
    finally:
        for post in posts:
            post.refresh_from_db()
            if post.title != originals[post.pk]:
                publish(post, originals[post.pk])
    print(
        json.dumps({"publishes": n, "post_shown_s": shown_post, "listing_shown_s": shown_listing})
    )


if __name__ == "__main__":
    main()
