#!/usr/bin/env bash
# Installs and starts a local MariaDB server for the test suite, and creates the test account.
# Idempotent: does nothing that is already done.
set -euo pipefail

USER_NAME="${TEST_MARIADB_USER:-codestreak}"
PASSWORD="${TEST_MARIADB_PASSWORD:-codestreak}"

if ! command -v mariadbd >/dev/null 2>&1; then
    echo "Installing mariadb-server..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
fi

if ! mariadb-admin --protocol=socket ping >/dev/null 2>&1; then
    echo "Starting MariaDB..."
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
    if [ ! -d /var/lib/mysql/mysql ]; then
        mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
    fi
    setsid nohup mariadbd-safe --user=mysql --bind-address=127.0.0.1 \
        --innodb-flush-log-at-trx-commit=2 --innodb-buffer-pool-size=1G --skip-log-bin \
        >/var/log/codestreak-mariadb.log 2>&1 &
    for _ in $(seq 1 60); do
        mariadb-admin --protocol=socket ping >/dev/null 2>&1 && break
        sleep 0.5
    done
    mariadb-admin --protocol=socket ping >/dev/null 2>&1 || {
        echo "MariaDB did not start; see /var/log/codestreak-mariadb.log" >&2
        exit 1
    }
fi

mariadb --protocol=socket <<SQL
CREATE USER IF NOT EXISTS '${USER_NAME}'@'localhost' IDENTIFIED BY '${PASSWORD}';
CREATE USER IF NOT EXISTS '${USER_NAME}'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}';
GRANT ALL PRIVILEGES ON \`codestreak%\`.* TO '${USER_NAME}'@'localhost';
GRANT ALL PRIVILEGES ON \`codestreak%\`.* TO '${USER_NAME}'@'127.0.0.1';
FLUSH PRIVILEGES;
SQL
echo "MariaDB ready: $(mariadb --protocol=socket -N -e 'SELECT VERSION()')"
