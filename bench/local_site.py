"""A freshly seeded copy of the site, served on loopback by `manage.py runserver`.

For what drives the site as a reader would: `make check-pages`, `make screens` and the browser
journeys (tests/e2e/). The database is the SQLite file that `env`'s DATABASE_URL names; the
settings are `env`'s (the test settings, for all three).
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

SEED = (["migrate", "--noinput", "-v0"], ["load_compilation"])
# Debian's Chromium, as these tools drive it (Playwright's own browser downloads are not used).
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def free_port(ports):
    """The first port of `ports` that nothing on 127.0.0.1 listens on."""
    for port in ports:
        with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


def wait_until_answers(url, process, seconds=60):
    """Return once `url` answers 200; fail if `process` exits or `seconds` pass first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@contextlib.contextmanager
def seeded_site(tree, env, ports, log_path, setup=()):
    """Migrate and seed `tree`'s site, run the `setup` manage.py commands, serve it on the first
    free port of `ports`, and yield its base URL; the server stops when the block ends."""
    manage = [sys.executable, str(Path(tree) / "manage.py")]
    for command in (*SEED, *setup):
        subprocess.run(manage + command, env=env, cwd=tree, check=True, capture_output=True)
    url = f"http://127.0.0.1:{free_port(ports)}"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [*manage, "runserver", url.removeprefix("http://"), "--noreload"],
            env=env,
            cwd=tree,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_answers(url + "/", server)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
