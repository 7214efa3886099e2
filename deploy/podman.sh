# Sourced by the image scripts: podman as it runs on these machines (Debian's podman 4.3 with
# Debian's runc and cgroupfs; crun and the default ulimits are refused here). PODMAN_FLAGS and
# PODMAN_LIMITS override them where the defaults work.
IMAGE="${IMAGE:-localhost/django-at-scale:latest}"
PODMAN_FLAGS="${PODMAN_FLAGS---runtime /usr/sbin/runc --cgroup-manager=cgroupfs}"
PODMAN_LIMITS="${PODMAN_LIMITS---ulimit nofile=1024:1024 --ulimit nproc=4096:4096}"

pod() {
    # shellcheck disable=SC2086
    podman $PODMAN_FLAGS "$@"
}

need_packages() {
    missing=""
    for tool in "$@"; do
        case "$tool" in
        podman) command -v podman >/dev/null 2>&1 || missing="$missing podman" ;;
        runc) [ -x /usr/sbin/runc ] || missing="$missing runc" ;;
        mmdebstrap) command -v mmdebstrap >/dev/null 2>&1 || missing="$missing mmdebstrap" ;;
        esac
    done
    if [ -n "$missing" ]; then
        echo "Installing$missing from Debian's packages"
        apt-get update -qq
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    fi
}
