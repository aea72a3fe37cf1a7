#!/usr/bin/env bash
# Helpers shared by run-local.sh and test.sh: install the npm stand-ins for Azure services
# (pinned in package-lock.json) and start them on loopback. Sourced, not run.

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The well-known Azurite development account. Public by design, not a secret.
AZURITE_ACCOUNT=devstoreaccount1
AZURITE_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

ensure_node_packages() {
  if [ ! -x "$repo_root/node_modules/.bin/azurite" ] || [ "$repo_root/package-lock.json" -nt "$repo_root/node_modules/.package-lock.json" ]; then
    echo "Installing local Azure stand-ins from npm (azurite, cosmosdb-server)..."
    (cd "$repo_root" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

wait_for_port() { # host port name
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "$3 did not start on $1:$2" >&2
  return 1
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_azurite BLOB_PORT QUEUE_PORT TABLE_PORT DATA_DIR: starts Azurite unless it already listens there.
start_azurite() {
  if port_in_use "$1"; then
    echo "Azurite (or something) already listens on 127.0.0.1:$1; using it."
    return 0
  fi
  mkdir -p "$4"
  # --skipApiVersionCheck: the current Azure SDKs speak a newer API version than Azurite announces.
  "$repo_root/node_modules/.bin/azurite" --silent --skipApiVersionCheck --location "$4" \
    --blobHost 127.0.0.1 --blobPort "$1" --queueHost 127.0.0.1 --queuePort "$2" \
    --tableHost 127.0.0.1 --tablePort "$3" >"$4/azurite.log" 2>&1 &
  STARTED_PIDS="${STARTED_PIDS:-} $!"
  disown $! 2>/dev/null || true
  wait_for_port 127.0.0.1 "$1" "Azurite blob service"
  wait_for_port 127.0.0.1 "$2" "Azurite queue service"
}

# start_azurite_oauth BLOB_PORT QUEUE_PORT TABLE_PORT DATA_DIR: an Azurite that accepts Entra ID
# tokens only, over HTTPS, like a storage account with shared keys off (user-delegation SAS tests).
start_azurite_oauth() {
  if port_in_use "$1"; then
    echo "Something already listens on 127.0.0.1:$1; assuming it is Azurite with --oauth basic."
    return 0
  fi
  mkdir -p "$4"
  local cert="$4/cert.pem" key="$4/key.pem"
  if ! openssl req -x509 -newkey rsa:2048 -nodes -keyout "$key" -out "$cert" -days 2       -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1; then
    # Without openssl, the test certificate shipped with cosmosdb-server will do: the tests trust any.
    cert="$repo_root/node_modules/@zeit/cosmosdb-server/cert.pem" key="$repo_root/node_modules/@zeit/cosmosdb-server/key.pem"
  fi
  "$repo_root/node_modules/.bin/azurite" --silent --skipApiVersionCheck --oauth basic --cert "$cert" --key "$key" \
    --location "$4" --blobHost 127.0.0.1 --blobPort "$1" --queueHost 127.0.0.1 --queuePort "$2" \
    --tableHost 127.0.0.1 --tablePort "$3" >"$4/azurite.log" 2>&1 &
  STARTED_PIDS="${STARTED_PIDS:-} $!"
  disown $! 2>/dev/null || true
  wait_for_port 127.0.0.1 "$1" "Azurite (OAuth) blob service"
}

# start_cosmos_server PORT LOG_DIR: the partial Cosmos DB server used by the adapter contract tests.
start_cosmos_server() {
  if port_in_use "$1"; then
    echo "Something already listens on 127.0.0.1:$1; assuming it is cosmosdb-server."
    return 0
  fi
  mkdir -p "$2"
  "$repo_root/node_modules/.bin/cosmosdb-server" --host 127.0.0.1 --port "$1" >"$2/cosmosdb-server.log" 2>&1 &
  STARTED_PIDS="${STARTED_PIDS:-} $!"
  disown $! 2>/dev/null || true
  wait_for_port 127.0.0.1 "$1" "cosmosdb-server"
}

# start_fake_sms PORT LOGFILE [RECEIPT_URL]: builds and starts the fake Tencent Cloud SMS gateway
# (tests/Ali.Serverless.FakeSmsGateway) unless something already listens there. Each message is
# appended to LOGFILE (numbers masked) and listed at http://127.0.0.1:PORT/. With RECEIPT_URL it
# posts a delivery receipt there for each accepted message.
start_fake_sms() {
  if port_in_use "$1"; then
    echo "Something already listens on 127.0.0.1:$1; assuming it is the fake SMS gateway."
    return 0
  fi
  local dir bin
  dir="$(dirname "$2")/fake-sms-gateway"
  bin="$dir/bin"
  mkdir -p "$dir"
  # Its own output folder: a running copy is never overwritten by a later build of the solution.
  dotnet build "$repo_root/tests/Ali.Serverless.FakeSmsGateway" --configuration Release --nologo \
    --verbosity quiet --output "$bin" >"$dir/build.log" 2>&1 \
    || { cat "$dir/build.log" >&2; echo "The fake SMS gateway did not build." >&2; return 1; }
  dotnet "$bin/Ali.Serverless.FakeSmsGateway.dll" --urls "http://127.0.0.1:$1" \
    --contentRoot "$bin" --FakeSms:LogFile "$2" --FakeSms:ReceiptUrl "${3:-}" >"$dir/fake-sms-gateway.log" 2>&1 &
  STARTED_PIDS="${STARTED_PIDS:-} $!"
  disown $! 2>/dev/null || true
  wait_for_port 127.0.0.1 "$1" "fake SMS gateway"
}

azurite_connection_string() { # BLOB_PORT QUEUE_PORT
  echo "DefaultEndpointsProtocol=http;AccountName=$AZURITE_ACCOUNT;AccountKey=$AZURITE_KEY;BlobEndpoint=http://127.0.0.1:$1/$AZURITE_ACCOUNT;QueueEndpoint=http://127.0.0.1:$2/$AZURITE_ACCOUNT;"
}

# Asks each service to stop, and forces it after 5 s: a graceful close can wait on idle connections.
stop_started_services() {
  for pid in ${STARTED_PIDS:-}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${STARTED_PIDS:-}; do
    for _ in $(seq 1 25); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  STARTED_PIDS=""
}

# build_web: installs the front ends' npm packages (pinned in web/package-lock.json) when they changed,
# and builds the portal and the workbench into web/dist (git-ignored), which the local host serves.
build_web() {
  if [ ! -d "$repo_root/web/node_modules/preact" ] || [ "$repo_root/web/package-lock.json" -nt "$repo_root/web/node_modules/.package-lock.json" ]; then
    echo "Installing the web front ends' packages from npm..."
    (cd "$repo_root/web" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  (cd "$repo_root/web" && node build.mjs)
}

# ensure_browser: the browser tests drive Debian's Chromium, and Tibetan and Chinese need fonts to render.
ensure_browser() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
  dpkg -s fonts-tibetan-machine >/dev/null 2>&1 || missing+=(fonts-tibetan-machine)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} for the browser tests..."
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}
