#!/usr/bin/env bash
# Sends the same requests through this project's caching proxy, nginx (proxy_cache, honouring the origin's headers,
# proxy_cache_revalidate on) and Varnish (its built-in VCL) to one origin (origin.py), and prints, per scenario, how
# many requests reached the origin (c = of which conditional) and the status of the last answer.
#   benchmarks/rfc/compare.sh            (needs: nginx, varnishd, python3, java; the proxy jar is built if absent)
# Scenarios with "wait" sleep 2 s so that a max-age=1 response goes stale (a trailing one lets a background refresh
# reach the origin before it is counted): this is a comparison script, not a test. RFC_PORT_BASE (default 18180)
# moves its four ports.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/rfc-compare.XXXXXX)
base=${RFC_PORT_BASE:-18180}
ORIGIN=$base; OURS=$((base + 1)); NGINX=$((base + 2)); VARNISH=$((base + 3))
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  [ -f "$work/varnish.pid" ] && kill "$(cat "$work/varnish.pid")" 2>/dev/null || true
}
trap cleanup EXIT

jar="$root/caching-proxy/target/caching-proxy.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -o -pl caching-proxy -am package -DskipTests)

python3 "$here/origin.py" "$ORIGIN" "$work/origin.log" & pids+=($!)
java -jar "$jar" --origin=http://127.0.0.1:$ORIGIN --port=$OURS > "$work/ours.log" 2>&1 & pids+=($!)
mkdir -p "$work/nginx"
cat > "$work/nginx.conf" <<CONF
user root;
pid $work/nginx.pid;
error_log $work/nginx/error.log;
events {}
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  proxy_cache_path $work/nginx/cache keys_zone=c:10m;
  server {
    listen 127.0.0.1:$NGINX;
    location / {
      proxy_pass http://127.0.0.1:$ORIGIN;
      proxy_http_version 1.1;
      proxy_cache c;
      proxy_cache_revalidate on;
      add_header X-Cache-Status \$upstream_cache_status;
    }
  }
}
CONF
nginx -c "$work/nginx.conf"
varnishd -a 127.0.0.1:$VARNISH -b 127.0.0.1:$ORIGIN -n "$work/varnish" -s malloc,64m -P "$work/varnish.pid" \
  > "$work/varnish.log" 2>&1

wait_for() {
  for _ in $(seq 1 600); do
    curl -s -o /dev/null "http://127.0.0.1:$1/__ready" && return 0
    sleep 0.1
  done
  echo "port $1 did not come up" >&2; exit 1
}
for port in $ORIGIN $OURS $NGINX $VARNISH; do wait_for $port; done

# scenario name | steps separated by ';' : "GET /path [Header: value]...", or "wait"
scenarios=(
  "max-age=60, twice|GET /fresh;GET /fresh"
  "max-age=1, again after 2 s|GET /short;wait;GET /short"
  "ETag, max-age=1, again after 2 s|GET /etag;wait;GET /etag"
  "ETag and Last-Modified, no lifetime, twice|GET /validator-only;GET /validator-only"
  "no-cache with ETag, twice|GET /no-cache;GET /no-cache"
  "no-store, twice|GET /no-store;GET /no-store"
  "private, twice|GET /private;GET /private"
  "private=\"X-User\", twice|GET /private-field;GET /private-field"
  "max-age=0, s-maxage=60, twice|GET /s-maxage;GET /s-maxage"
  "must-revalidate, stale, client max-stale|GET /must-revalidate;wait;GET /must-revalidate Cache-Control: max-stale=60"
  "Vary: Accept-Language en, en, de, de|GET /vary Accept-Language: en;GET /vary Accept-Language: en;GET /vary Accept-Language: de;GET /vary Accept-Language: de"
  "Vary: *, twice|GET /vary-star;GET /vary-star"
  "Set-Cookie with public, max-age, twice|GET /cookie;GET /cookie"
  "Authorization, response max-age only|GET /auth Authorization: Bearer a;GET /auth Authorization: Bearer b"
  "Authorization, response public|GET /auth-public Authorization: Bearer a;GET /auth-public Authorization: Bearer b"
  "upstream Age: 59 of max-age=60, again after 2 s|GET /aged;wait;GET /aged"
  "client Cache-Control: no-cache on a fresh entry|GET /fresh2;GET /fresh2 Cache-Control: no-cache"
  "client only-if-cached, nothing stored|GET /never Cache-Control: only-if-cached"
  "POST invalidates the GET entry|GET /item;POST /item;GET /item"
  "302 with max-age=60, twice|GET /302;GET /302"
  "302 without lifetime, twice|GET /302-plain;GET /302-plain"
  "Expires equal to Date, twice|GET /expires;GET /expires"
  "stale-while-revalidate=30, max-age=1, again after 2 s (later fetches 203)|GET /swr;wait;GET /swr;wait"
  "stale-while-revalidate=30 and ETag, max-age=1, again after 2 s|GET /swr-etag;wait;GET /swr-etag;wait"
  "stale-while-revalidate=30, must-revalidate, again after 2 s (later fetches 203)|GET /swr-must-revalidate;wait;GET /swr-must-revalidate;wait"
  "stale-if-error=60, max-age=1, origin 500 after 2 s|GET /sie;wait;GET /sie"
)

run() { # port prefix scenario-steps -> "origin-requests(conditional) last-status"
  local port=$1 prefix=$2 steps=$3 status=""
  : > "$work/origin.log"
  IFS=';' read -ra list <<< "$steps"
  for step in "${list[@]}"; do
    if [ "$step" = wait ]; then sleep 2; continue; fi
    read -r method path rest <<< "$step"
    args=(-s -o /dev/null -w '%{http_code}' -X "$method" "http://127.0.0.1:$port/$prefix$path")
    [ -n "${rest:-}" ] && args+=(-H "$rest")
    status=$(curl "${args[@]}")
  done
  local total cond
  total=$(grep -c " /$prefix/" "$work/origin.log" || true)
  cond=$(grep " /$prefix/" "$work/origin.log" | grep -vc ' None None$' || true)
  echo "$total ($cond c) → $status"
}

echo "| scenario | caching-proxy | nginx $(nginx -v 2>&1 | sed 's/.*\///') | Varnish $(varnishd -V 2>&1 | head -1 | sed -E 's/.*varnish-([0-9.]+).*/\1/') |"
echo "|---|---|---|---|"
i=0
for scenario in "${scenarios[@]}"; do
  i=$((i + 1))
  name=${scenario%%|*}; steps=${scenario#*|}
  # Each proxy gets its own path prefix, so no proxy sees another's entries or the origin's counts mix.
  echo "| $name | $(run $OURS "o$i" "$steps") | $(run $NGINX "n$i" "$steps") | $(run $VARNISH "v$i" "$steps") |"
done
