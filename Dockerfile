# Multi-stage: dependencies are built (argon2's native addon) in a full image, the
# runtime image gets only production modules and the app's own files.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
# The compiled build (esbuild is a production dependency): the runtime runs dist/, no tsx.
COPY scripts ./scripts
COPY src ./src
COPY seeds ./seeds
COPY migrations ./migrations
RUN node scripts/build.mjs

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/dist ./dist
# package.json marks the project folder the build finds views, public files and media from.
COPY package.json ./
COPY views ./views
COPY public ./public
COPY seeds/media ./seeds/media
RUN mkdir -p /app/.data/uploads && chown -R node:node /app/.data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/readyz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/server.js"]
