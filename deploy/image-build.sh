#!/bin/sh
# `make image`: build localhost/django-at-scale:latest with podman from the Containerfile.
#
# The base is IMAGE_BASE when given. Otherwise the usual slim Python image when an image registry
# answers, else a base made from Debian's packages (mmdebstrap, then `podman import`), kept as
# the image localhost/django-at-scale-base:bookworm-<recipe> and as a tarball in IMAGE_CACHE (var/image),
# so the next build, from this clone or a fresh one on the same machine, starts at once.
set -eu
cd "$(dirname "$0")/.."
. deploy/podman.sh

SLIM_BASE=docker.io/library/python:3.11-slim-bookworm
IMAGE_CACHE="${IMAGE_CACHE:-var/image}"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DEBIAN_SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"

need_packages podman runc
started=$(date +%s)

debian_base() {
    # No usrmerge (and so no perl) thanks to the merged-usr hook; no docs, manuals,
    # translations or glibc's iconv modules (Python converts text itself); apt stays so the
    # image can be extended with Debian's packages.
    set -- --variant=apt --include=python3,python3-venv,ca-certificates,tzdata \
        --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
        --dpkgopt='path-exclude=/usr/share/doc/*' \
        --dpkgopt='path-include=/usr/share/doc/*/copyright' \
        --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/info/*' \
        --dpkgopt='path-exclude=/usr/share/locale/*' \
        --dpkgopt='path-exclude=/usr/lib/x86_64-linux-gnu/gconv/*' \
        --dpkgopt='path-include=/usr/lib/x86_64-linux-gnu/gconv/gconv-modules*' \
        bookworm
    # The base is named after its recipe, so a changed recipe makes a new one.
    recipe=$(printf '%s\n' "$@" | sha256sum | cut -c1-10)
    DEBIAN_BASE="localhost/django-at-scale-base:bookworm-$recipe"
    if pod image exists "$DEBIAN_BASE"; then
        return
    fi
    tarball="$IMAGE_CACHE/base-bookworm-$recipe.tar"
    if [ ! -s "$tarball" ]; then
        need_packages mmdebstrap
        mkdir -p "$IMAGE_CACHE"
        echo "Making the base from Debian's packages (bookworm, Python 3.11) into $tarball"
        mmdebstrap --quiet --format=tar "$@" "$IMAGE_CACHE/base-bookworm.partial.tar" \
            "deb $DEBIAN_MIRROR bookworm main" \
            "deb $DEBIAN_MIRROR bookworm-updates main" \
            "deb $DEBIAN_SECURITY_MIRROR bookworm-security main" >/dev/null
        mv "$IMAGE_CACHE/base-bookworm.partial.tar" "$tarball"
    fi
    pod import --quiet --change 'CMD ["/bin/bash"]' "$tarball" "$DEBIAN_BASE" >/dev/null
}

base="${IMAGE_BASE:-}"
if [ -z "$base" ]; then
    registry=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' https://registry-1.docker.io/v2/ || true)
    if pod image exists "$SLIM_BASE" || [ "$registry" = 200 ] || [ "$registry" = 401 ]; then
        base="$SLIM_BASE"
    else
        debian_base
        base="$DEBIAN_BASE"
    fi
fi

# pip inside the build trusts the same certificate authorities as this host (a proxy in front of
# the package index may have its own).
ca_bundle="${IMAGE_BUILD_CA:-/etc/ssl/certs/ca-certificates.crt}"
set --
if [ -s "$ca_bundle" ]; then
    set -- --volume "$ca_bundle:/run/build-ca.crt:ro" --build-arg PIP_CERT=/run/build-ca.crt
fi

echo "Building $IMAGE on $base"
# --format docker keeps the HEALTHCHECK; the host network reaches the package index for pip.
# shellcheck disable=SC2086
pod build --format docker --network=host $PODMAN_LIMITS \
    "$@" --build-arg "BASE=$base" --tag "$IMAGE" --file Containerfile .
size=$(pod image inspect --format '{{.Size}}' "$IMAGE")
echo "Built $IMAGE: $((size / 1000000)) MB in $(($(date +%s) - started)) s"
