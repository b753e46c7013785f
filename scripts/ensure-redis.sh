#!/usr/bin/env bash
# Installs and starts a local Redis server for the test suite, on loopback with a password.
# Idempotent: does nothing that is already done.
set -euo pipefail

PORT="${TEST_REDIS_PORT:-6379}"
PASSWORD="${TEST_REDIS_PASSWORD:-codestreak}"

if ! command -v redis-server >/dev/null 2>&1; then
    echo "Installing redis-server..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

if ! redis-cli -p "$PORT" -a "$PASSWORD" --no-auth-warning ping >/dev/null 2>&1; then
    echo "Starting Redis..."
    mkdir -p /var/lib/codestreak-redis
    redis-server --port "$PORT" --bind 127.0.0.1 --requirepass "$PASSWORD" \
        --dir /var/lib/codestreak-redis --save "" --appendonly no --daemonize yes \
        --logfile /var/log/codestreak-redis.log
    for _ in $(seq 1 40); do
        redis-cli -p "$PORT" -a "$PASSWORD" --no-auth-warning ping >/dev/null 2>&1 && break
        sleep 0.25
    done
    redis-cli -p "$PORT" -a "$PASSWORD" --no-auth-warning ping >/dev/null 2>&1 || {
        echo "Redis did not start; see /var/log/codestreak-redis.log" >&2
        exit 1
    }
fi
echo "Redis ready: $(redis-cli -p "$PORT" -a "$PASSWORD" --no-auth-warning info server | grep redis_version | tr -d '\r')"
