#!/usr/bin/env bash
# `make serve`: gunicorn and the task worker side by side, as one unit. When either stops, or on
# Ctrl-C or SIGTERM, both are stopped. Production settings, the environment from the Makefile.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin

"$bin/python" manage.py db_worker --no-reload &
worker=$!
# Its own control socket under var/: gunicorn's default is one per user, which a second gunicorn
# on the machine (a benchmark, the cluster) would share.
"$bin/gunicorn" --config gunicorn.conf.py --control-socket "var/gunicorn-$PORT.ctl" \
    site_project.wsgi:application &
web=$!
echo "serve: gunicorn (pid $web) on ${HOST:-127.0.0.1}:$PORT, task worker (pid $worker)"

stop() {
    trap '' INT TERM
    kill -TERM "$web" "$worker" 2>/dev/null
    wait "$web" "$worker" 2>/dev/null
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
wait -n "$web" "$worker"
status=$?
echo "serve: stopping gunicorn and the task worker (the first to stop exited with $status)"
stop
exit "$status"
