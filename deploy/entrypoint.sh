#!/bin/sh
# The container's roles, one per container from the same image:
#   web              gunicorn with gunicorn.conf.py on $HOST:$PORT (the default)
#   worker           the background work: django-tasks' db_worker when a database task backend
#                    is configured, else the link check every $LINK_CHECK_INTERVAL seconds
#   migrate          migrations, as a one-off before a release's web containers start
#   seed             the compilation's content, only into an empty database
#   anything else    run as given (`manage.py shell`, `sh`)
set -eu

case "${1:-web}" in
web)
    exec gunicorn --config gunicorn.conf.py site_project.wsgi:application
    ;;
worker)
    if python manage.py help db_worker >/dev/null 2>&1; then
        exec python manage.py db_worker
    fi
    # Without a task queue, tasks run where they are enqueued; the worker's standing job is
    # the periodic link check (linkhealth), which sends requests to the linked sites.
    trap 'exit 0' TERM INT
    interval="${LINK_CHECK_INTERVAL:-86400}"
    while :; do
        python manage.py check_links --older-than 1 || echo "link check failed; next in ${interval}s"
        sleep "$interval" &
        wait $!
    done
    ;;
migrate)
    exec python manage.py migrate --noinput
    ;;
seed)
    exec python manage.py load_compilation --if-empty
    ;;
*)
    exec "$@"
    ;;
esac
