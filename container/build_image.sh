#!/usr/bin/env bash
# Build the image $IMAGE from the Containerfile with whichever builder is here: docker (when its
# daemon answers), else buildah, else podman; BUILDER=docker|buildah|podman chooses one.
# BASE is the image to build on, python:3.11-slim (Docker Hub) by default; BASE=local builds on a Debian base
# made here from Debian's packages by debootstrap, for machines that reach no image registry.
# Run from the repository root (`make image`, `make image BASE=local`); `--clean` removes both
# images instead.
set -euo pipefail

IMAGE=${IMAGE:-localhost/amlip-py:latest}
BASE=${BASE:-docker.io/library/python:3.11-slim}
LOCAL_BASE=${LOCAL_BASE:-localhost/amlip-debian:bookworm}
DEBIAN_SUITE=${DEBIAN_SUITE:-bookworm}   # its python3 must be the 3.11 the default base has
WORK=build/image

say() { echo "image: $*" >&2; }
die() { say "$*"; exit 1; }

# Install Debian packages when we may (root with apt-get), else say exactly what is missing.
need_packages() {
    local missing=() command
    for command in "$@"; do command -v "$command" >/dev/null || missing+=("$command"); done
    [ ${#missing[@]} -eq 0 ] && return
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        say "installing ${missing[*]} from Debian's packages"
        apt-get install -y -q "${missing[@]}" >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; }
    else
        die "missing: ${missing[*]}; install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}) and run again"
    fi
}

pick_builder() {
    if [ -n "${BUILDER:-}" ]; then echo "$BUILDER"
    elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then echo docker
    elif command -v buildah >/dev/null; then echo buildah
    elif command -v podman >/dev/null; then echo podman
    elif [ "$BASE" = local ]; then need_packages buildah; echo buildah
    else die "no docker with a running daemon, buildah or podman here; install one (Debian/Ubuntu: apt-get install buildah)"
    fi
}

image_exists() {
    case $builder in
        docker) docker image inspect "$1" >/dev/null 2>&1 ;;
        *) "$builder" inspect --type image "$1" >/dev/null 2>&1 ;;
    esac
}

# A minimal Debian with python3 and venv, without apt's lists and caches, manuals or translations
# (copyright files stay), imported as the image $LOCAL_BASE. Made once; `make image-clean` drops it.
make_local_base() {
    image_exists "$LOCAL_BASE" && return
    [ "$(id -u)" -eq 0 ] || die "debootstrap needs root to build the Debian base; run as root or use a registry base"
    need_packages debootstrap
    local rootfs=$WORK/rootfs
    rm -rf "$rootfs" && mkdir -p "$WORK"
    say "debootstrap $DEBIAN_SUITE (minbase + python3, python3-venv, ca-certificates) into $rootfs"
    debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
        "$DEBIAN_SUITE" "$rootfs" ${DEBIAN_MIRROR:-} >"$WORK/debootstrap.log" 2>&1 \
        || die "debootstrap failed; see $WORK/debootstrap.log"
    rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/man/* \
        "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
    find "$rootfs"/usr/share/doc \( -type f -o -type l \) ! -name copyright -delete
    tar --numeric-owner -C "$rootfs" -cf "$WORK/rootfs.tar" .
    rm -rf "$rootfs"
    case $builder in
        docker|podman) "$builder" import "$WORK/rootfs.tar" "$LOCAL_BASE" >/dev/null ;;
        buildah)
            local container
            container=$(buildah from scratch)
            buildah add --quiet "$container" "$WORK/rootfs.tar" / >/dev/null
            buildah commit --quiet --rm "$container" "$LOCAL_BASE" >/dev/null ;;
    esac
    rm -f "$WORK/rootfs.tar"
    say "made the base $LOCAL_BASE"
}

builder=$(pick_builder)
if [ "${1:-}" = --clean ]; then
    for image in "$IMAGE" "$LOCAL_BASE"; do
        if image_exists "$image"; then "$builder" rmi "$image" >/dev/null && say "removed $image"; fi
    done
    rm -rf "$WORK"
    exit 0
fi
base=$BASE
if [ "$BASE" = local ]; then make_local_base; base=$LOCAL_BASE; fi

options=(-f Containerfile --build-arg "BASE=$base" -t "$IMAGE")
# Behind a TLS-inspecting proxy pip inside the build needs the host's CA bundle; it is lent as a
# build secret, so it never lands in a layer.
cert=${PIP_CERT:-$(python3 -m pip config get global.cert 2>/dev/null || true)}
if [ -n "$cert" ] && [ -s "$cert" ]; then options+=(--secret "id=pip_cert,src=$cert"); fi
build() {
    case $builder in
        docker) DOCKER_BUILDKIT=1 docker build "${options[@]}" . ;;
        buildah) buildah bud --layers --isolation "${BUILDAH_ISOLATION:-chroot}" "${options[@]}" . ;;
        podman) podman build --layers --isolation "${BUILDAH_ISOLATION:-chroot}" "${options[@]}" . ;;
        *) die "unknown BUILDER=$builder (docker, buildah or podman)" ;;
    esac
}
if ! build; then
    [ "$BASE" = local ] && die "building $IMAGE with $builder failed"
    die "building $IMAGE with $builder on $base failed; where no image registry is reachable, build on a Debian base made here: make image BASE=local"
fi
say "built $IMAGE with $builder on $base"
"$builder" images "$IMAGE"
