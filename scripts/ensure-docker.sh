#!/usr/bin/env bash
# Make sure a Docker engine is installed, running and answering.
#
# Idempotent: installs docker.io and debootstrap with apt when missing, starts dockerd in the
# background when it is not running, then waits until `docker info` answers.
#
# Environment:
#   DOCKERD_LOG      where dockerd writes its log (default /var/log/dockerd.log)
#   DOCKER_WAIT_S    how long to wait for the engine to answer (default 60)
set -euo pipefail

DOCKERD_LOG="${DOCKERD_LOG:-/var/log/dockerd.log}"
DOCKER_WAIT_S="${DOCKER_WAIT_S:-60}"

log() { echo "ensure-docker: $*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_missing() {
    local missing=()
    command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
    command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
    command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
    if [ "${#missing[@]}" -gt 0 ]; then
        log "installing ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
    fi
}

engine_answers() { docker info >/dev/null 2>&1; }

start_engine() {
    if engine_answers; then
        return
    fi
    if pgrep -x dockerd >/dev/null 2>&1; then
        log "dockerd is running but not answering yet"
        return
    fi
    log "starting dockerd (log: $DOCKERD_LOG)"
    mkdir -p "$(dirname "$DOCKERD_LOG")"
    as_root setsid nohup dockerd --iptables=false --ip-masq=false --bridge=none \
        --storage-driver=overlay2 >>"$DOCKERD_LOG" 2>&1 </dev/null &
}

wait_for_engine() {
    local deadline=$((SECONDS + DOCKER_WAIT_S))
    until engine_answers; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            log "the Docker engine did not answer within ${DOCKER_WAIT_S}s; see $DOCKERD_LOG"
            exit 1
        fi
        sleep 0.5
    done
    log "Docker engine is up"
}

install_missing
start_engine
wait_for_engine
