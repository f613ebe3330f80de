#!/usr/bin/env bash
# Checks the nginx configuration docs/deploy.md gives for two instances (the ```nginx block
# after its "checked by tests/nginx/check.sh" line) with `nginx -t`, its certificate and log
# paths pointed into a temporary folder. Installs Debian's nginx package first if it is
# missing (as root, as CI runs).
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v nginx >/dev/null 2>&1 && ! [ -x /usr/sbin/nginx ]; then
    apt-get update -qq
    # The package's own start is refused where there is no init system; nginx -t needs none.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi
nginx=$(command -v nginx || echo /usr/sbin/nginx)

dir=$(mktemp -d /tmp/torget-nginx.XXXXXX)
trap 'rm -rf "$dir"' EXIT

awk '/^<!-- checked by tests\/nginx\/check.sh -->$/ { marked = 1; next }
     marked && /^```nginx$/ { inside = 1; next }
     inside && /^```$/ { exit }
     inside { print }' docs/deploy.md >"$dir/torget.conf"
if ! [ -s "$dir/torget.conf" ]; then
    echo "docs/deploy.md: no \`\`\`nginx block after the line <!-- checked by tests/nginx/check.sh -->" >&2
    exit 1
fi

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=universitetskommunen.example.no \
    -keyout "$dir/privkey.pem" -out "$dir/fullchain.pem" 2>/dev/null
sed -i -e "s#/etc/letsencrypt/live/[^/]*/#$dir/#g" -e "s#/var/log/nginx/#$dir/#g" "$dir/torget.conf"
cat >"$dir/nginx.conf" <<CONF
pid $dir/nginx.pid;
error_log $dir/error.log;
events {}
http {
    include $dir/torget.conf;
}
CONF
"$nginx" -t -q -p "$dir" -c "$dir/nginx.conf"
echo "docs/deploy.md: the nginx configuration for two instances passes nginx -t"
