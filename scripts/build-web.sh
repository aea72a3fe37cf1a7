#!/usr/bin/env bash
# Builds the web front ends (web/ → web/dist) and type-checks them. run-local.sh and test.sh build
# them too; this is for working on the pages while the local host runs (it serves web/dist as is).
set -euo pipefail
source "$(dirname "$0")/local-services.sh"
build_web
(cd "$repo_root/web" && node_modules/.bin/tsc --noEmit -p .)
