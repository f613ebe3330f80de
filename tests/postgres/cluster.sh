#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `cluster.sh start DIR` makes one in DIR on a
# free 127.0.0.1 port (or starts the one already there, on its port) and prints its URL;
# `cluster.sh halt DIR` stops it at once, as a crash would (`pg_ctl stop -m immediate`);
# `cluster.sh stop DIR` stops it and removes DIR.
# Installs Debian's postgresql package first if it is missing. As root, the server runs as
# the postgres user (PostgreSQL refuses to run as root).
set -euo pipefail

what=${1:?usage: cluster.sh start|halt|stop DIR}
dir=${2:?usage: cluster.sh start|halt|stop DIR}

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as=()
if [ "$(id -u)" = 0 ]; then
    as=(runuser -u postgres --)
fi

case "$what" in
start)
    if [ -f "$dir/port" ]; then
        port=$(cat "$dir/port")
    else
        mkdir -p "$dir"
        if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
        # Tests start clusters in parallel: a port is claimed by creating its lock folder.
        port=55400
        # Not `ss | grep -q`: grep's early exit fails ss with SIGPIPE, and under pipefail a
        # port in use looked free.
        in_use() { command -v ss >/dev/null && [ -n "$(ss -ltnH "( sport = :$1 )")" ]; }
        while in_use "$port" || ! mkdir "/tmp/torget-pg-port-$port" 2>/dev/null; do
            port=$((port + 1))
        done
        echo "$port" >"$dir/port"
        "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
    fi
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
    ;;
halt)
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null
    ;;
stop)
    if [ -d "$dir/data" ]; then
        "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    if [ -f "$dir/port" ]; then rmdir "/tmp/torget-pg-port-$(cat "$dir/port")" 2>/dev/null || true; fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: cluster.sh start|halt|stop DIR" >&2
    exit 2
    ;;
esac
