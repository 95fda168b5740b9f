#!/usr/bin/env bash
# Sends the same requests through this project's caching proxy, nginx (proxy_cache, honouring the origin's headers,
# proxy_cache_revalidate on), Varnish (its built-in VCL), Squid (a reverse proxy, its defaults, memory cache) and
# Apache Traffic Server (Debian's records.config, a remap rule) to one origin (origin.py), and prints, per scenario,
# how many requests reached the origin (c = of which conditional) and the status of the last answer.
#   benchmarks/rfc/compare.sh            (needs: python3, java; the proxy jar is built if absent; nginx, varnishd,
#                                          squid, traffic_server each add a column when installed:
#                                          apt-get install nginx varnish squid trafficserver)
# Scenarios with "wait" sleep 2 s so that a max-age=1 response goes stale (a trailing one lets a background refresh
# reach the origin before it is counted): this is a comparison script, not a test. RFC_PORT_BASE (default 18180)
# moves its six ports.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/rfc-compare.XXXXXX)
base=${RFC_PORT_BASE:-18180}
ORIGIN=$base; OURS=$((base + 1)); NGINX=$((base + 2)); VARNISH=$((base + 3)); SQUID=$((base + 4)); ATS=$((base + 5))
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  [ -f "$work/varnish.pid" ] && kill "$(cat "$work/varnish.pid")" 2>/dev/null || true
  [ -f "$work/squid/squid.pid" ] && kill "$(cat "$work/squid/squid.pid")" 2>/dev/null || true
}
# A cache that is not installed is skipped, with the package that brings it.
present() {
  command -v "$1" > /dev/null && return 0
  echo "$1 not found: its column is left out (apt-get install $2)" >&2
  return 1
}
columns=()
trap cleanup EXIT

jar="$root/caching-proxy/target/caching-proxy.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -o -pl caching-proxy -am package -DskipTests)

python3 "$here/origin.py" "$ORIGIN" "$work/origin.log" & pids+=($!)
java -jar "$jar" --origin=http://127.0.0.1:$ORIGIN --port=$OURS > "$work/ours.log" 2>&1 & pids+=($!)
if present nginx nginx; then
columns+=("nginx $(nginx -v 2>&1 | sed 's/.*\///')|$NGINX|n")
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
fi
if present varnishd varnish; then
columns+=("Varnish $(varnishd -V 2>&1 | head -1 | sed -E 's/.*varnish-([0-9.]+).*/\1/')|$VARNISH|v")
varnishd -a 127.0.0.1:$VARNISH -b 127.0.0.1:$ORIGIN -n "$work/varnish" -s malloc,64m -P "$work/varnish.pid" \
  > "$work/varnish.log" 2>&1
fi
if present squid squid; then
columns+=("Squid $(squid -v | head -1 | sed 's/.*Version //')|$SQUID|s")
# Squid drops root for its effective user, which must be able to write its logs.
mkdir -p "$work/squid" && chmod 777 "$work/squid"
cat > "$work/squid/squid.conf" <<CONF
http_port 127.0.0.1:$SQUID accel defaultsite=127.0.0.1:$ORIGIN no-vhost
cache_peer 127.0.0.1 parent $ORIGIN 0 no-query originserver name=origin
http_access allow all
cache_peer_access origin allow all
cache_mem 64 MB
pid_filename $work/squid/squid.pid
access_log none
cache_log $work/squid/cache.log
cache_store_log none
coredump_dir $work/squid
shutdown_lifetime 0 seconds
CONF
squid -N -f "$work/squid/squid.conf" > "$work/squid/out.log" 2>&1 & pids+=($!)
fi
if present traffic_server trafficserver; then
columns+=("ATS $(traffic_server -V 2>&1 | sed -n 's/.*traffic_server - \([0-9.]*\).*/\1/p' | head -1)|$ATS|a")
# A run root of its own: Debian's configuration with this port, a remap to the origin and a small cache file.
mkdir -p "$work/ats/etc" "$work/ats/cache" "$work/ats/run" "$work/ats/log"
cp -r /etc/trafficserver/. "$work/ats/etc/"
cat >> "$work/ats/etc/records.config" <<CONF
CONFIG proxy.config.http.server_ports STRING $ATS
CONFIG proxy.config.admin.user_id STRING #-1
CONFIG proxy.config.diags.logfile.filename STRING stdout
CONF
echo "map / http://127.0.0.1:$ORIGIN/" > "$work/ats/etc/remap.config"
echo "$work/ats/cache 64M" > "$work/ats/etc/storage.config"
cat > "$work/ats/runroot.yaml" <<CONF
prefix: /usr
exec_prefix: /usr
bindir: /usr/bin
sbindir: /usr/sbin
sysconfdir: $work/ats/etc
datadir: $work/ats/cache
includedir: /usr/include
libdir: /usr/lib/trafficserver
libexecdir: /usr/lib/trafficserver/modules
localstatedir: $work/ats/run
runtimedir: $work/ats/run
logdir: $work/ats/log
cachedir: $work/ats/cache
CONF
traffic_server --run-root="$work/ats" > "$work/ats/out.log" 2>&1 & pids+=($!)
fi

wait_for() {
  for _ in $(seq 1 600); do
    curl -s -o /dev/null "http://127.0.0.1:$1/__ready" && return 0
    sleep 0.1
  done
  echo "port $1 did not come up" >&2; exit 1
}
wait_for $ORIGIN; wait_for $OURS
for column in "${columns[@]}"; do port=${column#*|}; wait_for "${port%|*}"; done

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
  "Vary: Accept-Language en, de, en, de|GET /vary Accept-Language: en;GET /vary Accept-Language: de;GET /vary Accept-Language: en;GET /vary Accept-Language: de"
  "Range bytes=0-3 on a stored 200|GET /range;GET /range Range: bytes=0-3"
  "Range past the end on a stored 200|GET /range-end;GET /range-end Range: bytes=999-"
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
    # An empty body with its Content-Length: ATS answers 411 to a POST without one, before the origin sees it.
    [ "$method" != GET ] && args+=(--data-binary '')
    status=$(curl "${args[@]}")
  done
  local total cond
  total=$(grep -c " /$prefix/" "$work/origin.log" || true)
  cond=$(grep " /$prefix/" "$work/origin.log" | grep -vc ' None None$' || true)
  echo "$total ($cond c) → $status"
}

header="| scenario | caching-proxy |"; rule="|---|---|"
for column in "${columns[@]}"; do header+=" ${column%%|*} |"; rule+="---|"; done
echo "$header"; echo "$rule"
i=0
for scenario in "${scenarios[@]}"; do
  i=$((i + 1))
  name=${scenario%%|*}; steps=${scenario#*|}
  # Each proxy gets its own path prefix, so no proxy sees another's entries or the origin's counts mix.
  row="| $name | $(run $OURS "o$i" "$steps") |"
  for column in "${columns[@]}"; do
    rest=${column#*|}; row+=" $(run "${rest%|*}" "${rest#*|}$i" "$steps") |"
  done
  echo "$row"
done
