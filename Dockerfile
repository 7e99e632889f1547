# syntax=docker/dockerfile:1
# The subgraph as a container image: compiled in the first stage, run from the second, which holds only
# the production dependencies and the compiled JavaScript. Without Docker, test/integration/container.test.ts
# repeats the second stage's steps as written here (its COPY lines, RUN, ENV, CMD and HEALTHCHECK).
#
#   docker build -t codat-commerce-subgraph .
#   docker run --rm -p 4000:4000 -e CODAT_API_KEY=... -e AUTH_MODE=jwt -e AUTH_JWKS_URL=... codat-commerce-subgraph
#
# NODE_ENV=production needs CODAT_API_KEY (no simulator fallback) and AUTH_MODE chosen on purpose
# (README, "Authentication"), and serves no landing page or introspection. Give the orchestrator a grace period longer than SHUTDOWN_TIMEOUT_MS (README, "Graceful shutdown").

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
# The web UI (off in production unless WEB_UI=on): Vite builds it into dist/web/ within `npm run build`.
COPY web ./web
RUN npm run build

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
# npm start's prestart, so `npm start` works in the image too (it finds no src/ and starts).
COPY scripts/build-if-stale.cjs ./scripts/
USER node
ENV HOST=0.0.0.0 PORT=4000
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The server drains on SIGTERM (in-flight requests finish, SHUTDOWN_TIMEOUT_MS) and exits 0; node is PID 1
# itself (no npm or shell in between), so the signal reaches it.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/index.js"]
