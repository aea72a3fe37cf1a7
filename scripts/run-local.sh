#!/usr/bin/env bash
# Runs the whole system locally: Azurite (Blob + Queue), the fake SMS gateway on
# http://127.0.0.1:7081 (the texts the app sends, numbers masked), then the local host on
# http://127.0.0.1:7071 serving the Functions app's routes, queue and timer triggers over
# Azurite and SQLite, with the seeded catalog loaded at start. Ctrl+C stops everything.
set -euo pipefail
source "$(dirname "$0")/local-services.sh"
cd "$repo_root"
trap stop_started_services EXIT INT TERM

ensure_node_packages
build_web
start_azurite 10000 10001 10002 "$repo_root/.local/azurite"
# ALI_SMS_RECEIPT_URL (optional): where the fake posts a delivery receipt for each accepted message.
start_fake_sms 7081 "$repo_root/.local/sms/messages.log" "${ALI_SMS_RECEIPT_URL:-}"

export ASPNETCORE_ENVIRONMENT=Development
export AzureWebJobsStorage="$(azurite_connection_string 10000 10001)"
export Store__SqlitePath="$repo_root/.local/ali-serverless.db"
# Keys of personal data at rest (decision 13), made on first use; the rotation tool uses the same folder.
export PersonalData__KeyDirectory="$repo_root/.local/keys"
echo "Fake SMS gateway: the texts sent are listed at http://127.0.0.1:7081/ and in .local/sms/messages.log"
echo "Starting the local host on http://127.0.0.1:7071: the portal at /, the workbench at /workbench/ (try: curl http://127.0.0.1:7071/api/catalog/items)"
dotnet run --project functions/Ali.Serverless.LocalHost --no-launch-profile --urls "${ALI_URLS:-http://127.0.0.1:7071}"
