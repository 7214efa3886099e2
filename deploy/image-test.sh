#!/bin/sh
# `make image-test`: run the built image against the local PostgreSQL (a fresh database, dropped
# at the end) and Redis (IMAGE_TEST_REDIS_URL), as a release would: migrations as a one-off,
# the seed, gunicorn (web) and the worker as two containers from the same image, each with a
# read-only root filesystem. Fails (non-zero) at the first check that does not hold; removes the
# containers and the database it made either way.
set -eu
cd "$(dirname "$0")/.."
. deploy/podman.sh

PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-postgres}"
PORT="${IMAGE_TEST_PORT:-8550}"
REDIS_URL="${IMAGE_TEST_REDIS_URL:-redis://127.0.0.1:6379/12}"
MAX_MB="${IMAGE_MAX_MB:-300}"
PODMAN_COMPOSE="${PODMAN_COMPOSE:-.venv/bin/podman-compose}"
COMPILATION=/django-at-scale-in-production/

run_id="$(date +%s)_$$"
db="image_test_$run_id"
web="image-test-web-$run_id"
worker="image-test-worker-$run_id"
project="image-test-$run_id"
output=$(mktemp)

compose() {
    "$PODMAN_COMPOSE" --in-pod false --podman-args "$PODMAN_FLAGS" \
        --podman-run-args "$PODMAN_LIMITS" --project-name "$project" \
        --file compose.yaml --file deploy/compose.local.yaml "$@"
}

step() { printf '==> %s\n' "$*"; }
fail() {
    printf 'FAILED: %s\n' "$*" >&2
    exit 1
}

cleanup() {
    status=$?
    if [ "$status" -ne 0 ]; then
        for name in "$web" "$worker"; do
            pod container exists "$name" 2>/dev/null && pod logs --tail 40 "$name" >&2 || true
        done
    fi
    pod rm --force --ignore --time 5 "$web" "$worker" >/dev/null 2>&1 || true
    if [ -n "${DATABASE_URL:-}" ]; then
        compose down --volumes >/dev/null 2>&1 || true
    fi
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
        >/dev/null 2>&1 || true
    redis-cli -u "$REDIS_URL" flushdb >/dev/null 2>&1 || true
    rm -f "$output"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pod image exists "$IMAGE" || fail "no image $IMAGE: run make image first"

step "Image size"
size=$(pod image inspect --format '{{.Size}}' "$IMAGE")
echo "$IMAGE: $((size / 1000000)) MB (limit $MAX_MB MB)"
[ "$((size / 1000000))" -lt "$MAX_MB" ] || fail "the image is larger than $MAX_MB MB"
healthcheck=$(pod image inspect --format '{{json .Config.Healthcheck}}' "$IMAGE")
case "$healthcheck" in
*healthz*) echo "HEALTHCHECK: /healthz" ;;
*) fail "the image has no HEALTHCHECK on /healthz" ;;
esac

psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -q -c "CREATE DATABASE $db"
redis-cli -u "$REDIS_URL" flushdb >/dev/null

# Nothing secret lives in the image: the key is made for this run. The host network reaches the
# local PostgreSQL and Redis; the root filesystem is read-only, /tmp and the media are tmpfs.
secret=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
set -- $PODMAN_LIMITS --network=host --read-only --tmpfs /tmp \
    --tmpfs /app/var/media:rw,mode=1777 \
    --env "SECRET_KEY=$secret" --env "ALLOWED_HOSTS=127.0.0.1,localhost" \
    --env "DATABASE_URL=postgres://$PG_USER@$PG_HOST:$PG_PORT/$db" \
    --env "REDIS_URL=$REDIS_URL" --env "PORT=$PORT" --env "WEB_CONCURRENCY=2" \
    --env "WAGTAILADMIN_BASE_URL=http://127.0.0.1:$PORT"

# A one-off container; its output is shown in full only when it fails.
one_off() {
    role=$1
    shift
    if ! pod run --rm "$@" "$IMAGE" "$role" >"$output" 2>&1; then
        tail -n 40 "$output" >&2
        fail "the one-off $role container failed"
    fi
    grep -v -e ' INFO ' -e 'level=' "$output" | tail -n 2
}

step "Migrations (one-off container)"
one_off migrate "$@"

step "Seed (one-off container)"
one_off seed "$@"

step "Web: gunicorn on 127.0.0.1:$PORT"
pod run --detach --name "$web" "$@" "$IMAGE" web >/dev/null
healthy=""
for _ in $(seq 60); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz")" = 200 ]; then
        healthy=yes
        break
    fi
    [ "$(pod inspect --format '{{.State.Running}}' "$web")" = true ] || fail "web exited"
    sleep 1
done
[ -n "$healthy" ] || fail "/healthz did not answer 200 within 60 s"
echo "/healthz: 200 $(curl -s "http://127.0.0.1:$PORT/healthz")"

# TLS ends in front of gunicorn; it trusts X-Forwarded-Proto from loopback.
page=$(curl -s -w '\n%{http_code}' -H 'X-Forwarded-Proto: https' \
    "http://127.0.0.1:$PORT$COMPILATION")
code=$(printf '%s' "$page" | tail -n 1)
[ "$code" = 200 ] || fail "$COMPILATION answered $code"
printf '%s' "$page" | grep -q 'Django at Scale' || fail "$COMPILATION does not show the compilation"
echo "$COMPILATION: 200, the compilation"
css=$(printf '%s' "$page" | grep -o '/static/css/[^"]*\.css' | head -n 1)
[ -n "$css" ] || fail "the compilation links no stylesheet"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-Proto: https' \
    "http://127.0.0.1:$PORT$css")
[ "$code" = 200 ] || fail "$css answered $code"
echo "$css: 200 (collected at build time, served by whitenoise)"

step "The process runs as non-root"
uid=$(pod exec "$web" id -u)
[ "$uid" != 0 ] || fail "web runs as root"
echo "web: uid $uid"

step "Worker: a second container from the same image"
pod run --detach --name "$worker" "$@" --env LINK_CHECK_INTERVAL=3600 "$IMAGE" worker >/dev/null
sleep 8
[ "$(pod inspect --format '{{.State.Running}}' "$worker")" = true ] || fail "the worker exited"
uid=$(pod exec "$worker" id -u)
[ "$uid" != 0 ] || fail "the worker runs as root"
echo "worker: running, uid $uid"
# A real task queued from web (Wagtail's reference indexing of the compilation) must be run by
# the worker container.
task_id=$(pod exec "$web" python manage.py shell -v0 -c "
from wagtail.models import Page
from wagtail.tasks import update_reference_index_task as task
page = Page.objects.filter(url_path__endswith='$COMPILATION', locale__language_code='en').get()
print(task.enqueue('wagtailcore', 'page', page.pk).id)") || fail "web could not queue a task"
status=""
for _ in $(seq 30); do
    status=$(pod exec "$web" python manage.py shell -v0 -c "
from wagtail.tasks import update_reference_index_task as task
print(task.get_result('$task_id').status)")
    [ "$status" = SUCCESSFUL ] && break
    sleep 1
done
[ "$status" = SUCCESSFUL ] || fail "the worker did not run the queued task (status: $status)"
echo "worker: ran a task queued from web"

step "Health check as the image declares it"
pod healthcheck run "$web" >/dev/null || fail "the image's HEALTHCHECK fails"
echo "HEALTHCHECK: healthy"

step "compose.yaml: podman-compose config"
export SECRET_KEY="$secret" POSTGRES_PASSWORD=not-used-here ALLOWED_HOSTS=127.0.0.1,localhost
"$PODMAN_COMPOSE" --file compose.yaml config >/dev/null || fail "podman-compose config refuses compose.yaml"
echo "valid: services $("$PODMAN_COMPOSE" --file compose.yaml config --services | tr '\n' ' ')"

step "compose.yaml: web and worker against the local services"
pod rm --force --ignore --time 5 "$web" "$worker" >/dev/null 2>&1
export DATABASE_URL="postgres://$PG_USER@$PG_HOST:$PG_PORT/$db" REDIS_URL PORT
compose up --no-deps --detach web worker >/dev/null 2>&1 || fail "podman-compose up web worker"
healthy=""
for _ in $(seq 60); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz")" = 200 ]; then
        healthy=yes
        break
    fi
    sleep 1
done
[ -n "$healthy" ] || fail "compose web: /healthz did not answer 200 within 60 s"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-Proto: https' \
    "http://127.0.0.1:$PORT$COMPILATION")
[ "$code" = 200 ] || fail "compose web: $COMPILATION answered $code"
echo "compose web: /healthz 200, $COMPILATION 200"
sleep 3
running=$(pod ps --filter "label=io.podman.compose.project=$project" --format '{{.Names}}')
printf '%s\n' "$running" | grep -q worker || fail "compose worker is not running"
echo "compose worker: running"

step "image-test passed"
