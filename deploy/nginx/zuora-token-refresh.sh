#!/usr/bin/env bash
# Gets a Zuora OAuth access token (client-credentials grant) and writes it as the nginx
# include mass-updater/token.conf (`set $zuora_token "…";`), then reloads nginx.
# Run it at boot and then about every 30 minutes (Zuora's tokens last about an hour),
# e.g. from a systemd timer. On any failure the previous token file stays in place and
# the script exits non-zero.
#
# Environment:
#   ZUORA_OAUTH_URL           https://rest.zuora.com/oauth/token (your tenant's host)
#   ZUORA_CLIENT_ID           the OAuth client's id
#   ZUORA_CLIENT_SECRET_FILE  a file (mode 600) holding the client secret; read by curl
#                             itself, so the secret never appears on a command line
#   TOKEN_FILE                default /etc/nginx/mass-updater/token.conf
#   RELOAD                    command run after writing, default `nginx -s reload`
#                             (empty: do not reload)
set -euo pipefail

: "${ZUORA_OAUTH_URL:=https://rest.zuora.com/oauth/token}"
: "${ZUORA_CLIENT_ID:?set ZUORA_CLIENT_ID}"
: "${ZUORA_CLIENT_SECRET_FILE:?set ZUORA_CLIENT_SECRET_FILE}"
: "${TOKEN_FILE:=/etc/nginx/mass-updater/token.conf}"
RELOAD=${RELOAD-nginx -s reload}

answer=$(curl --silent --show-error --fail --max-time 30 \
  --data-urlencode "client_id=$ZUORA_CLIENT_ID" \
  --data-urlencode "client_secret@$ZUORA_CLIENT_SECRET_FILE" \
  --data-urlencode "grant_type=client_credentials" \
  "$ZUORA_OAUTH_URL")

token=$(printf '%s' "$answer" | sed -n 's/.*"access_token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
# The token goes into nginx's configuration: anything but token characters (a quote, a
# semicolon, a brace) could change the configuration, so it is refused.
if ! [[ $token =~ ^[A-Za-z0-9._~+/=-]+$ ]]; then
  echo "zuora-token-refresh: no usable access_token in the answer from $ZUORA_OAUTH_URL" >&2
  exit 1
fi

dir=$(dirname "$TOKEN_FILE")
tmp=$(mktemp "$dir/.token.XXXXXX")
trap 'rm -f "$tmp"' EXIT
chmod 600 "$tmp"
printf 'set $zuora_token "%s";\n' "$token" >"$tmp"
mv -f "$tmp" "$TOKEN_FILE"
trap - EXIT

if [ -n "$RELOAD" ]; then
  $RELOAD
fi
