#!/usr/bin/env bash
# Publishes the web front ends to the static website of the environment azd just provisioned (run by
# azd as the postdeploy hook, see azure.yaml; or by hand with the same variables). Needs az signed in
# as the deployer (Storage Blob Data Contributor on the web account, granted by infra/modules/web.bicep).
#
# Reads: WEB_STORAGE_ACCOUNT_NAME, SERVICE_API_URI (outputs of infra/main.bicep), ALI_AUTH_ISSUER,
# ALI_WEB_CLIENT_ID (the front ends' public client registration: no secret), ALI_WEB_SCOPES (for example
# "openid api://ali-serverless/user_impersonation").
set -euo pipefail
source "$(dirname "$0")/local-services.sh"
: "${WEB_STORAGE_ACCOUNT_NAME:?}" "${SERVICE_API_URI:?}" "${ALI_AUTH_ISSUER:?}" "${ALI_WEB_CLIENT_ID:?}"

build_web
# What the pages read at start: the API's address and the identity provider (OIDC code flow with PKCE).
cat > "$repo_root/web/dist/config.json" <<JSON
{
  "apiBase": "${SERVICE_API_URI%/}/api",
  "signIn": "oidc",
  "issuer": "${ALI_AUTH_ISSUER}",
  "clientId": "${ALI_WEB_CLIENT_ID}",
  "scopes": "${ALI_WEB_SCOPES:-openid}"
}
JSON
az storage blob service-properties update --account-name "$WEB_STORAGE_ACCOUNT_NAME" --auth-mode login \
  --static-website --index-document index.html --404-document index.html --output none
# Pages, strings and configuration are small: upload them whole, and let browsers revalidate each time.
az storage blob upload-batch --account-name "$WEB_STORAGE_ACCOUNT_NAME" --auth-mode login \
  --destination '$web' --source "$repo_root/web/dist" --overwrite \
  --content-cache-control "no-cache" --output none
echo "Web front ends published: $(az storage account show --name "$WEB_STORAGE_ACCOUNT_NAME" --query primaryEndpoints.web --output tsv)"
