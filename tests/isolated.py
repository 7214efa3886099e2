"""Run Python in a fresh interpreter, for tests of what is read once at import (settings,
gunicorn.conf.py) under an environment of their own."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(args, env, drop=(), timeout=60):
    """`python args...` in the project root with `env` over ours, minus the `drop` variables."""
    clean = {k: v for k, v in os.environ.items() if k not in drop}
    return subprocess.run(  # noqa: S603 - our own fixed command
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def output(code, env, drop=(), timeout=60):
    """What `code` prints; the test fails with the child's stderr if it fails."""
    result = run(["-c", code], env, drop, timeout)
    assert result.returncode == 0, result.stderr
    return result.stdout
