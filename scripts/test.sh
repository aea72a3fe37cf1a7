#!/usr/bin/env bash
# Runs every test: unit, adapter (SQLite, Azurite, cosmosdb-server), end-to-end over HTTP
# against the local host, and the infrastructure checks. Starts its own Azurite, cosmosdb-server
# and fake SMS gateway on ports apart from run-local.sh's, so both can run at once.
set -euo pipefail
source "$(dirname "$0")/local-services.sh"
cd "$repo_root"
trap stop_started_services EXIT INT TERM

work="$(mktemp -d "${TMPDIR:-/tmp}/ali-serverless-test.XXXXXX")"
ensure_node_packages
# The browser tests (tests/Ali.Serverless.Web.Tests) need the built front ends, Chromium and the fonts.
build_web
ensure_browser
start_azurite 10100 10101 10102 "$work/azurite"
start_azurite_oauth 10110 10111 10112 "$work/azurite-oauth"
start_cosmos_server 18081 "$work"
start_fake_sms 17081 "$work/sms/messages.log"

export ALI_TEST_STORAGE="$(azurite_connection_string 10100 10101)"
export ALI_TEST_OAUTH_BLOB="https://127.0.0.1:10110/devstoreaccount1"
export ALI_TEST_COSMOS_SERVER="https://127.0.0.1:18081"
export ALI_TEST_SMS="http://127.0.0.1:17081"
# Local hosts the tests start send their SMS to this run's fake gateway, not to run-local.sh's.
export Sms__Endpoint="$ALI_TEST_SMS"
set +e
dotnet test Ali.Serverless.sln --configuration Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$work/dotnet-test.log"
status=${PIPESTATUS[0]}
set -e
# One closing line over all test projects, in the plain form CI reads.
awk '/^ +Passed: +[0-9]+/ {p += $2} /^ +Failed: +[0-9]+/ {f += $2} /^ +Skipped: +[0-9]+/ {s += $2}
     END {printf "%d passed, %d failed, %d skipped\n", p, f, s}' "$work/dotnet-test.log"
exit "$status"
