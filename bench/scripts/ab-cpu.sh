#!/bin/bash
# usage: ab-cpu.sh <checkout A> <checkout B> [rounds=8] [seconds=4]
# A/B of the CPU a request costs in two BUILT checkouts: both stacks (mock → router → gateway,
# each its own process on CPU 1, own database and key prefix) run side by side; rounds alternate
# a closed-loop load (autocannon, 50 connections, load on CPU 0) between A and B, so the drift of
# a noisy machine hits both alike. Prints each round and the medians of req/s and of the
# gateway's and router's CPU per request (user + system time from /proc).
# STREAM=true streams every request. LOG_LEVEL (default warn) is passed to the services; LOG_TO (default /dev/null) is where their
# stdout goes. NODE_OPTIONS_A / NODE_OPTIONS_B are given to A's / B's router and gateway (to A/B
# a Node flag on one checkout: pass the same path twice). Needs psql, curl, redis-cli and taskset; uses the local Postgres and Redis.
set -e
BENCH=$(cd "$(dirname "$0")/.." && pwd)
A=$(cd "$1" && pwd); B=$(cd "$2" && pwd); ROUNDS=${3:-8}; SECS=${4:-4}
OUT=$(mktemp -d)
PIDS=""
DBS=""
cleanup () {
  kill $PIDS 2>/dev/null || true
  sleep 1
  for db in $DBS; do psql -h 127.0.0.1 -U postgres -qc "drop database if exists $db with (force)" >/dev/null 2>&1 || true; done
  redis-cli --scan --pattern "ab$$*" | xargs -r redis-cli del >/dev/null
  rm -rf "$OUT"
}
trap cleanup EXIT
export NODE_ENV=production LOG_LEVEL=${LOG_LEVEL:-warn}
LOG_TO=${LOG_TO:-/dev/null}
# STREAM=true measures streamed requests instead of JSON answers.
BODY='{"model":"mock-gpt","stream":'${STREAM:-false}',"messages":[{"role":"user","content":"benchmark me please"}]}'
AC=$BENCH/node_modules/.bin/autocannon

# start <checkout> <port base> <tag>: sets GP_<tag>, RP_<tag>, KEY_<tag>
start () {
  local W=$1 P=$2 T=$3 DB=ab_cpu_$$_$3 NO
  if [ $T = a ]; then NO=${NODE_OPTIONS_A:-}; else NO=${NODE_OPTIONS_B:-}; fi
  DBS="$DBS $DB"
  psql -h 127.0.0.1 -U postgres -qc "create database $DB" >/dev/null
  printf '{"providers":{"mock":{"type":"openai","baseUrl":"http://127.0.0.1:%s/v1"}},"models":{"mock-gpt":[{"provider":"mock","model":"mock-gpt"}]}}' $((P+1)) > $OUT/routes-$T.json
  (cd $W && MOCK_PROVIDER_HOST=127.0.0.1 MOCK_PROVIDER_PORT=$((P+1)) MOCK_PROVIDER_CHUNK_DELAY_MS=0 exec taskset -c 1 node packages/mock-provider/dist/server.js) > $LOG_TO 2>&1 &
  PIDS="$PIDS $!"
  (cd $W && NODE_OPTIONS="$NO" HOST=127.0.0.1 PORT=$((P+2)) INTERNAL_TOKEN=ab-internal-token-0123456789 ROUTES_FILE=$OUT/routes-$T.json exec taskset -c 1 node apps/proxy-router/dist/server.js) > $LOG_TO 2>&1 &
  local rp=$!; PIDS="$PIDS $rp"
  (cd $W && NODE_OPTIONS="$NO" HOST=127.0.0.1 PORT=$((P+3)) INTERNAL_TOKEN=ab-internal-token-0123456789 ADMIN_TOKEN=ab-admin-token-0123456789 HEALTH_TOKEN=ab-health-token-0123456789 ROUTER_URL=http://127.0.0.1:$((P+2)) DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB DB_MIGRATE_ON_START=true REDIS_URL=redis://127.0.0.1:6379 REDIS_KEY_PREFIX=ab$$$T: RATE_LIMIT_MAX=1000000000 exec taskset -c 1 node apps/gateway/dist/server.js) > $LOG_TO 2>&1 &
  local gp=$!; PIDS="$PIDS $gp"
  for _ in $(seq 1 100); do curl -sf http://127.0.0.1:$((P+3))/readyz >/dev/null && curl -sf http://127.0.0.1:$((P+2))/readyz >/dev/null && break; sleep 0.3; done
  local keyjson kid
  keyjson=$(curl -s -XPOST -H 'authorization: Bearer ab-admin-token-0123456789' -H 'content-type: application/json' -d '{"name":"ab"}' http://127.0.0.1:$((P+3))/v1/api-keys)
  kid=$(echo "$keyjson" | node -pe 'JSON.parse(require("fs").readFileSync(0)).id')
  # A plan with every limit on (far above the load): request rate, tokens per minute, monthly quota.
  psql -h 127.0.0.1 -U postgres -d $DB -qc "with p as (insert into plans (name, monthly_token_quota, requests_per_minute, tokens_per_minute) values ('bench', 1000000000000, 1000000000, 2000000000) returning id), u as (insert into users (name, plan_id) select 'bench', id from p returning id) update api_keys set user_id = (select id from u) where id = '$kid'" >/dev/null
  eval "GP_$T=$gp RP_$T=$rp PORT_$T=$((P+3)) KEY_$T=$(echo "$keyjson" | node -pe 'JSON.parse(require("fs").readFileSync(0)).key')"
}

cpu () { awk '{print $14+$15}' /proc/$1/stat; }

# load <tag> <seconds>: prints "rps gateway_us router_us"
load () {
  local T=$1 S=$2 gp rp port key g0 r0 g1 r1 n
  eval "gp=\$GP_$T rp=\$RP_$T port=\$PORT_$T key=\$KEY_$T"
  g0=$(cpu $gp); r0=$(cpu $rp)
  taskset -c 0 $AC -c 50 -d $S -j -m POST -H "authorization=Bearer $key" -H 'content-type=application/json' -b "$BODY" http://127.0.0.1:$port/v1/chat/completions > $OUT/ac.json 2>/dev/null
  g1=$(cpu $gp); r1=$(cpu $rp)
  n=$(node -pe "const j=JSON.parse(require('fs').readFileSync('$OUT/ac.json','utf8')); if (j.non2xx || j.errors) { console.error('non-2xx or errors:', j.non2xx, j.errors) }; j['2xx']")
  [ "$n" -gt 0 ] || { echo "no successful requests" >&2; exit 1; }
  echo "$((n / S)) $(( (g1-g0)*10000 / n )) $(( (r1-r0)*10000 / n ))"
}

start $A 19300 a
start $B 19310 b
load a 8 >/dev/null; load b 8 >/dev/null # warm-up (JIT, pools, key caches): costs keep falling for seconds
printf '%-6s %-22s %-22s\n' round "A rps gw/rt µs" "B rps gw/rt µs"
for i in $(seq 1 $ROUNDS); do
  if [ $((i % 2)) = 1 ]; then ra=$(load a $SECS); rb=$(load b $SECS); else rb=$(load b $SECS); ra=$(load a $SECS); fi
  printf '%-6s %-22s %-22s\n' $i "$ra" "$rb"
  echo "$ra" >> $OUT/a.txt; echo "$rb" >> $OUT/b.txt
done
median () { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
for T in a b; do
  f=$OUT/$T.txt
  printf '%s median: rps %s, gateway %s µs/req, router %s µs/req, sum %s\n' $(echo $T | tr ab AB) "$(cut -d' ' -f1 $f | median)" "$(cut -d' ' -f2 $f | median)" "$(cut -d' ' -f3 $f | median)" "$(awk '{print $2+$3}' $f | median)"
done
# Each round's B/A ratio of gateway + router CPU per request: drift between rounds cancels out.
printf 'B/A gateway+router CPU per request, median of the rounds\x27 ratios: %s\n' "$(paste -d' ' $OUT/a.txt $OUT/b.txt | awk '{printf "%.3f\n", ($5+$6)/($2+$3)}' | median)"
