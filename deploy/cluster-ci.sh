#!/usr/bin/env bash
# The shortened cluster drill, as CI runs it (.ci/run): `make cluster` in the background, waited
# for, `make cluster-drill` with DRILL_SHORT=1 (fails on any failed request or 5xx), then a
# SIGTERM and a check that nothing is left behind: no process of the cluster, no port taken.
#
#   deploy/cluster-ci.sh            # nginx on 127.0.0.1:$PORT (default 8380), hosts on PORT+11...
#
# Exits non-zero when the cluster does not come up, the drill fails, or something is left.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${PORT:-8380}"
hosts="${APP_HOSTS:-2}"
up_seconds="${CLUSTER_UP_SECONDS:-240}"
log="var/cluster-ci.log"
# The ports deploy/cluster.py takes from PORT: nginx, primary, replica, Redis, the app hosts.
ports=("$port" $((port + 1)) $((port + 2)) $((port + 3)))
for n in $(seq "$hosts"); do ports+=($((port + 10 + n))); done

listening() { ss -Hltn "sport = :$1" | grep -q .; }

for p in "${ports[@]}"; do
  if listening "$p"; then
    echo "cluster-ci: port $p is already taken; set PORT to a free range" >&2
    exit 1
  fi
done

mkdir -p var
# PostgreSQL runs as the postgres user, which must reach the clusters' data: a checkout inside a
# private folder (a `mktemp -d` one, /root) moves them to a folder of their own for this run.
cluster_dir="$PWD/var/cluster"
if ! runuser -u postgres -- test -x "$PWD/var"; then
  cluster_dir=$(mktemp -d /tmp/cluster-ci.XXXXXX)
  chmod 755 "$cluster_dir"
  echo "cluster-ci: the postgres user cannot enter $PWD; the clusters live in $cluster_dir"
fi
export CLUSTER_DIR="$cluster_dir"
started=$(date +%s)
# A session of its own: the SIGTERM below reaches make and deploy/cluster.py, never this script.
PORT="$port" APP_HOSTS="$hosts" setsid make cluster >"$log" 2>&1 &
group=$!

stop_cluster() {
  if kill -0 "$group" 2>/dev/null || pgrep -g "$group" >/dev/null; then
    kill -TERM -- "-$group" 2>/dev/null || true
  fi
  for _ in $(seq 120); do
    pgrep -g "$group" >/dev/null || return 0
    sleep 0.5
  done
  echo "cluster-ci: make cluster did not stop within 60 s after SIGTERM" >&2
  return 1
}
trap 'stop_cluster || true' EXIT

echo "cluster-ci: waiting for make cluster on 127.0.0.1:$port (log: $log)"
until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do
  if ! pgrep -g "$group" >/dev/null; then
    echo "cluster-ci: make cluster exited before it answered:" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
  if (($(date +%s) - started > up_seconds)); then
    echo "cluster-ci: make cluster did not answer within $up_seconds s:" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
  sleep 1
done
up=$(date +%s)
echo "cluster-ci: up after $((up - started)) s"

status=0
PORT="$port" APP_HOSTS="$hosts" DRILL_SHORT=1 make cluster-drill || status=$?
drilled=$(date +%s)
echo "cluster-ci: drill took $((drilled - up)) s"

trap - EXIT
stop_cluster || status=1
stopped=$(date +%s)
echo "cluster-ci: stopped in $((stopped - drilled)) s"

# Nothing left behind: every port free, no process still running from this cluster's files.
for p in "${ports[@]}"; do
  if listening "$p"; then
    echo "cluster-ci: port $p is still taken after the stop" >&2
    status=1
  fi
done
if pgrep -f "$cluster_dir" >/dev/null; then
  echo "cluster-ci: processes of the cluster are still running:" >&2
  pgrep -af "$cluster_dir" >&2
  status=1
fi
if [[ "$cluster_dir" == /tmp/cluster-ci.* ]]; then
  rm -rf "$cluster_dir"
fi
if ! grep -q "cluster: stopped" "$log"; then
  echo "cluster-ci: make cluster did not report a clean stop:" >&2
  status=1
fi
if ((status != 0)); then
  tail -n 40 "$log" >&2
fi
echo "cluster-ci: $((stopped - started)) s in all, exit $status"
exit "$status"
