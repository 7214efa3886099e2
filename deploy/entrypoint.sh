#!/bin/bash
# The container's roles, one per container from the same image:
#   web              gunicorn with gunicorn.conf.py on $HOST:$PORT (the default)
#   worker           the task queue (django-tasks' db_worker: link checks, mails, search and
#                    reference indexing) and, beside it, every $LINK_CHECK_INTERVAL seconds (a
#                    day; 0 turns it off) the link check of every outside URL and the pruning of
#                    task results older than 14 days, and every $NEWSLETTER_INTERVAL seconds (ten
#                    minutes; 0 turns it off) send_newsletter: weekly digests and any post mail
#                    the task started on publish did not send
#   migrate          migrations, as a one-off before a release's web containers start
#   seed             the compilation's content, only into an empty database
#   anything else    run as given (`manage.py shell`, `sh`)
set -eu

case "${1:-web}" in
web)
    exec gunicorn --config gunicorn.conf.py site_project.wsgi:application
    ;;
worker)
    interval="${LINK_CHECK_INTERVAL:-86400}"
    newsletter="${NEWSLETTER_INTERVAL:-600}"
    if [ "$interval" = 0 ] && [ "$newsletter" = 0 ]; then
        exec python manage.py db_worker --no-reload
    fi
    python manage.py db_worker --no-reload &
    worker=$!
    pause= check=
    if [ "$newsletter" != 0 ]; then
        # A loop of its own: a long link check does not hold the digests back.
        # Its sleep and its send run in the background and are waited for, and a stop kills
        # whichever is running (jobs -p), so nothing it started outlives it.
        (
            trap 'kill $(jobs -p) 2>/dev/null; exit 0' TERM
            while :; do
                sleep "$newsletter" &
                wait $! || true
                python manage.py send_newsletter &
                wait $! || echo "send_newsletter failed; next in ${newsletter}s" >&2
            done
        ) &
    fi
    # Children run in the background and are waited for, so a stop signal is handled at once.
    trap 'kill -TERM $(jobs -p) 2>/dev/null; wait $worker || true; exit 0' TERM INT
    while :; do
        if [ "$interval" = 0 ]; then
            wait "$worker" || true
        else
            sleep "$interval" &
            pause=$!
            wait -n "$worker" "$pause" || true
        fi
        if ! kill -0 "$worker" 2>/dev/null; then
            # The queue's worker stopped on its own: so does the container, and its restart
            # policy starts a new one.
            kill $(jobs -p) 2>/dev/null || true
            echo "the task worker exited; stopping" >&2
            exit 1
        fi
        python manage.py check_links --older-than 1 &
        check=$!
        wait "$check" || echo "link check failed; next in ${interval}s"
        python manage.py prune_db_task_results --min-age-days 14 -v0 &
        check=$!
        wait "$check" || echo "pruning old task results failed"
        check=
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
