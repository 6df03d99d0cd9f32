#!/bin/bash
# usage: cpu-per-request.sh <checkout> [seconds=10] [profile=0]
# One closed-loop run (autocannon, 50 connections) against the gateway → router → mock of a
# BUILT checkout, each server its own process on CPU 1, the load on CPU 0; prints req/s and the
# gateway's and router's CPU per request (from /proc). Run two checkouts alternately for an A/B
# (drift hits both). profile=1 also writes V8 CPU profiles (--cpu-prof) and prints where they are.
# Needs psql, curl, redis-cli and taskset; uses the local Postgres and Redis (own db / key prefix).
# LOG_LEVEL (default warn) is passed to the services: info measures the request log lines too.
# STREAM=true streams every request. PERF=1 records the servers' CPU with `perf record` (Debian's
# linux-perf) during the load and prints, per process, on-CPU time per request and the main
# thread's time by JavaScript function (perf-report.mjs): on a CPU shared by several servers this
# is the attribution to trust, since --cpu-prof's samples are wall-clock intervals that charge
# time spent preempted to whatever was running.
# WARM (seconds, default 5) of the same load run first, unmeasured: a cold process compiles and
# grows its heap in the first seconds, and --perf-basic-prof (PERF=1) makes that much slower still.
set -e
trap 'kill $GP $RP $MP 2>/dev/null || true' EXIT
BENCH=$(cd "$(dirname "$0")/.." && pwd)
W=$(cd "$1" && pwd); SECS=${2:-10}; PROF=${3:-0}
cd $W
OUT=$(mktemp -d)
DB=cpu_per_request_$$
psql -h 127.0.0.1 -U postgres -qc "create database $DB" >/dev/null
cat > $OUT/routes.json <<J
{"providers":{"mock":{"type":"openai","baseUrl":"http://127.0.0.1:19101/v1"}},"models":{"mock-gpt":[{"provider":"mock","model":"mock-gpt"}]}}
J
export NODE_ENV=production LOG_LEVEL=${LOG_LEVEL:-warn}
MOCK_PROVIDER_HOST=127.0.0.1 MOCK_PROVIDER_PORT=19101 MOCK_PROVIDER_CHUNK_DELAY_MS=0 taskset -c 1 node packages/mock-provider/dist/server.js > $OUT/mock.log 2>&1 &
MP=$!
PA=""; [ "$PROF" = 1 ] && PA="--cpu-prof --cpu-prof-dir=$OUT/router"
[ "${PERF:-0}" = 1 ] && PA="$PA --perf-basic-prof --no-logfile-per-isolate --logfile=$OUT/v8-router.log"
HOST=127.0.0.1 PORT=19102 INTERNAL_TOKEN=prof-internal-token-0123456789 ROUTES_FILE=$OUT/routes.json taskset -c 1 node $PA apps/proxy-router/dist/server.js > $OUT/router.log 2>&1 &
RP=$!
GA=""; [ "$PROF" = 1 ] && GA="--cpu-prof --cpu-prof-dir=$OUT/gateway"
[ "${PERF:-0}" = 1 ] && GA="$GA --perf-basic-prof --no-logfile-per-isolate --logfile=$OUT/v8-gateway.log"
HOST=127.0.0.1 PORT=19103 INTERNAL_TOKEN=prof-internal-token-0123456789 ADMIN_TOKEN=prof-admin-token-0123456789 ROUTER_URL=http://127.0.0.1:19102 DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB DB_MIGRATE_ON_START=true REDIS_URL=redis://127.0.0.1:6379 REDIS_KEY_PREFIX=prof$$: RATE_LIMIT_MAX=1000000000 HEALTH_TOKEN=prof-health-token-0123456789 taskset -c 1 node $GA apps/gateway/dist/server.js > $OUT/gateway.log 2>&1 &
GP=$!
for i in $(seq 1 100); do curl -sf http://127.0.0.1:19103/readyz >/dev/null && curl -sf http://127.0.0.1:19102/readyz > /dev/null && break; sleep 0.3; done
KEYJSON=$(curl -s -XPOST -H 'authorization: Bearer prof-admin-token-0123456789' -H 'content-type: application/json' -d '{"name":"prof"}' http://127.0.0.1:19103/v1/api-keys)
KID=$(echo "$KEYJSON" | node -pe 'JSON.parse(require("fs").readFileSync(0)).id')
KEY=$(echo "$KEYJSON" | node -pe 'JSON.parse(require("fs").readFileSync(0)).key')
psql -h 127.0.0.1 -U postgres -d $DB -qc "with p as (insert into plans (name, monthly_token_quota, requests_per_minute, tokens_per_minute) values ('bench', 1000000000000, 1000000000, 2000000000) returning id), u as (insert into users (name, plan_id) select 'bench', id from p returning id) update api_keys set user_id = (select id from u) where id = '$KID'" >/dev/null
BODY='{"model":"mock-gpt","stream":'${STREAM:-false}',"messages":[{"role":"user","content":"benchmark me please"}]}'
AC=$BENCH/node_modules/.bin/autocannon
CPU0() { awk '{print $14+$15}' /proc/$1/stat; }
LOAD() { taskset -c 0 $AC -c 50 -d "$1" -j -m POST -H "authorization=Bearer $KEY" -H 'content-type=application/json' -b "$BODY" http://127.0.0.1:19103/v1/chat/completions; }
WARM=${WARM:-5}
[ "$WARM" -gt 0 ] && LOAD "$WARM" > /dev/null 2>&1
G0=$(CPU0 $GP); R0=$(CPU0 $RP)
PERFP=""
if [ "${PERF:-0}" = 1 ]; then perf record -q -e cpu-clock -F 10000 -C 1 -g -o $OUT/perf.data -- sleep "$SECS" >/dev/null 2>&1 & PERFP=$!; fi
LOAD "$SECS" > $OUT/ac.txt 2>&1
G1=$(CPU0 $GP); R1=$(CPU0 $RP)
REQ=$(node -pe "const j=JSON.parse(require('fs').readFileSync('$OUT/ac.txt','utf8')); j['2xx']")
node -pe "const j=JSON.parse(require('fs').readFileSync('$OUT/ac.txt','utf8')); 'rps='+j.requests.average+' 2xx='+j['2xx']+' non2xx='+j.non2xx+' errors='+j.errors+' p50='+j.latency.p50"
echo "gateway_us_per_req=$(( (G1-G0)*10000 / (REQ>0?REQ:1) )) router_us_per_req=$(( (R1-R0)*10000 / (REQ>0?REQ:1) ))"
if [ -n "$PERFP" ]; then wait $PERFP || true; node $BENCH/scripts/perf-report.mjs $OUT/perf.data $REQ gateway=$GP proxy-router=$RP mock=$MP; rm -f /tmp/perf-$GP.map /tmp/perf-$RP.map; fi
kill $GP $RP; sleep 2; kill $MP
wait 2>/dev/null || true
psql -h 127.0.0.1 -U postgres -qc "drop database $DB with (force)" >/dev/null
redis-cli --scan --pattern "prof$$:*" | xargs -r redis-cli del >/dev/null
[ "$PROF" = 1 ] && echo "profiles: $OUT/gateway $OUT/router" || rm -rf "$OUT"
