"""gunicorn settings for `make serve` and the benchmarks; every value can come from the environment.

Sync workers: each request holds one worker, so gunicorn must sit behind a proxy that buffers
slow clients (nginx with deploy/nginx.conf, or a cloud load balancer), never on the network
itself. Workers default to two per core plus one; WEB_CONCURRENCY overrides it.
"""

import multiprocessing
import os

# Loopback unless HOST says otherwise: sync workers must not face slow clients themselves.
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
# A request that takes longer than this is killed and logged; a slow page is a bug to fix.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Behind a load balancer that keeps connections open, a little more than its idle timeout.
keepalive = 5
# Workers are not recycled by default: a fresh worker starts with empty per-process caches (the
# local copies of cached pages, rendered fragments), and at thousands of requests a second a
# recycle every few thousand requests showed as p99 spikes in `make bench`. Set
# GUNICORN_MAX_REQUESTS (with 10% jitter) if a memory leak ever needs containing.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# Fail at start-up (a missing SECRET_KEY, say) in the master, not in every worker.
preload_app = True
# "-" (stdout) by default; empty turns it off (make cluster's hosts: nginx logs every request).
# gunicorn itself refuses an empty path.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# X-Forwarded-Proto is trusted only from these addresses (the load balancers); gunicorn reads
# FORWARDED_ALLOW_IPS itself and defaults to loopback.
