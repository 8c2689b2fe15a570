#!/bin/sh
# Writes the secrets docker-compose.yml mounts (deploy/secrets/*), each a random value,
# leaving existing ones alone: re-running it never logs anybody out.
# Usage: deploy/make-secrets.sh
set -eu
cd "$(dirname "$0")/secrets"
# Compose (without Swarm) bind-mounts secret files with their host permissions, and the
# containers read them as their own users (nonroot, postgres): the files must be readable,
# so the folder is the one kept private.
chmod 700 .
umask 022

random() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }

for name in session_secret csrf_secret signing_secret postgres_password; do
  if [ ! -s "$name" ]; then random > "$name"; echo "wrote deploy/secrets/$name"; fi
done
# HAProxy's certificate and key in one PEM: self-signed for localhost, so the stack runs
# over https at once (browsers warn). Replace the file with a real one for a real host.
if [ ! -s tls_cert ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout tls.key -out tls.crt 2>/dev/null
  cat tls.crt tls.key > tls_cert && rm tls.crt tls.key
  echo "wrote deploy/secrets/tls_cert (self-signed for localhost)"
fi
# The app's DATABASE_URL holds the same password as the PostgreSQL service.
printf 'postgres://leboncours:%s@db:5432/leboncours\n' "$(cat postgres_password)" > database_url
