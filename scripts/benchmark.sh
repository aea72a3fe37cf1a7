#!/usr/bin/env bash
# The benchmark (issue 11): builds Release, starts its own Azurite and local host on loopback ports
# apart from run-local.sh's and test.sh's, records how long the host took to answer its first request,
# then, after a warm-up of every scenario, measures the empty endpoint, every read route, and the write routes
# (open, declare, complete, submit) beside their floors (the same store operations and queue sends driven in
# process through the host's adapters, tests/Ali.Serverless.LoadTest/Bench/Floors.cs) in one run, and appends the
# tables, with each route's ratio to the empty endpoint and to its floor, the machine, the date and the load
# average, to docs/performance.md.
# Bounded: ALI_BENCH_SECONDS (default 5, at most 120) per scenario, at most 200,000 requests each; the write routes
# work on pools of ALI_BENCH_POOL (default 600) prepared applications each and stop when a pool is used up.
# Numbers mean something only on a quiet machine: look at the load average it records.
set -euo pipefail
source "$(dirname "$0")/local-services.sh"
cd "$repo_root"
host_pid=""
cleanup() {
  if [ -n "$host_pid" ]; then kill "$host_pid" 2>/dev/null || true; wait "$host_pid" 2>/dev/null || true; fi
  stop_started_services
}
trap cleanup EXIT
# Interrupted: stop here (the EXIT trap cleans up); a trap that only cleaned up would let the script run on.
trap 'exit 130' INT TERM

seconds="${ALI_BENCH_SECONDS:-5}"
pool="${ALI_BENCH_POOL:-600}"
report="${ALI_BENCH_REPORT:-$repo_root/docs/performance.md}"
port=7171
work="$(mktemp -d "${TMPDIR:-/tmp}/ali-serverless-bench.XXXXXX")"

ensure_node_packages
dotnet build functions/Ali.Serverless.LocalHost -c Release -v q -nologo
dotnet build tests/Ali.Serverless.LoadTest -c Release -v q -nologo
start_azurite 10200 10201 10202 "$work/azurite"

export ASPNETCORE_ENVIRONMENT=Development
export AzureWebJobsStorage="$(azurite_connection_string 10200 10201)"
export Store__SqlitePath="$work/bench.db"
export PersonalData__KeyDirectory="$work/keys"
export Licences__LocalKeyDirectory="$work/licence-keys"
export Logging__LogLevel__Default=Warning
for limit in OpenApplication DeclareMaterial SmsActions StaffSmsActions; do export "RateLimits__$limit=100000000"; done
output="functions/Ali.Serverless.LocalHost/bin/Release/net10.0"
started=$(date +%s%N)
(cd "$output" && exec dotnet Ali.Serverless.LocalHost.dll --urls "http://127.0.0.1:$port") >"$work/host.log" 2>&1 &
host_pid=$!
for _ in $(seq 1 600); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$port/api/health" 2>/dev/null; then break; fi
  if ! kill -0 "$host_pid" 2>/dev/null; then cat "$work/host.log" >&2; exit 1; fi
  sleep 0.05
done
first_ms=$(( ($(date +%s%N) - started) / 1000000 ))
echo "The local host answered its first request $first_ms ms after its process started."
# The portal's first page right after: warmed at start (decision 24), it should cost no more than a later one.
curl -fsS -o /dev/null "http://127.0.0.1:$port/api/catalog/items"
catalog_ms=$(( ($(date +%s%N) - started) / 1000000 ))
echo "It answered its first GET /api/catalog/items $catalog_ms ms after its process started."

dotnet tests/Ali.Serverless.LoadTest/bin/Release/net10.0/Ali.Serverless.LoadTest.dll \
  --url "http://127.0.0.1:$port" --seconds "$seconds" --concurrency 16 --pool "$pool" --report "$report" --started-ms "$first_ms"
printf '\nThe first `GET /api/catalog/items` was answered %s ms after the process started (%s ms after the first `/api/health`).\n' \
  "$catalog_ms" "$(( catalog_ms - first_ms ))" >> "$report"

# Issue 11 item 3: submit → pending-acceptance over 200 cases with the bare Azurite queue round trip as its
# floor, then the soak: ALI_SOAK_CASES (default 1,000) cases through the whole lifecycle with scripted
# departments, bounded by ALI_SOAK_DEADLINE_SECONDS (default 480). Both run and report even if one fails.
pipeline_status=0
dotnet tests/Ali.Serverless.LoadTest/bin/Release/net10.0/Ali.Serverless.LoadTest.dll \
  --url "http://127.0.0.1:$port" --scenario pipeline --storage "$AzureWebJobsStorage" --report "$report" || pipeline_status=$?
dotnet tests/Ali.Serverless.LoadTest/bin/Release/net10.0/Ali.Serverless.LoadTest.dll \
  --url "http://127.0.0.1:$port" --scenario soak --storage "$AzureWebJobsStorage" --report "$report" \
  --cases "${ALI_SOAK_CASES:-1000}" --concurrency 16 --deadline-seconds "${ALI_SOAK_DEADLINE_SECONDS:-480}" || pipeline_status=$?
exit "$pipeline_status"
