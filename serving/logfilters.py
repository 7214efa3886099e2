"""Logging filters for outages that would otherwise log on every request."""

import logging
import time


class OncePerInterval(logging.Filter):
    """Let one record through per `seconds` (per process), counting the ones held back.

    While Redis is down, django-redis logs every swallowed error: several per request. One line
    every half minute says the same thing without flooding the log.
    """

    def __init__(self, seconds=30):
        super().__init__()
        self.seconds = seconds
        self.next_at = 0.0
        self.held_back = 0

    def filter(self, record):
        now = time.monotonic()
        if now < self.next_at:
            self.held_back += 1
            return False
        if self.held_back:
            record.msg = f"{record.msg} ({self.held_back} similar messages held back)"
        self.next_at = now + self.seconds
        self.held_back = 0
        return True
