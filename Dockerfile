# One image, three commands: the API (the default), the worker, or both in one process.
# Node 24 LTS. See docs/operations.md#docker for how it is meant to run, and why it is untested.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY apps apps
COPY libs libs
COPY migrations migrations
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
# Without DATABASE_URL the process runs the embedded PostgreSQL in MODELPULSE_DATA_DIR: mount a
# volume there. With it (compose.yaml), nothing is written inside the container.
ENV MODELPULSE_DATA_DIR=/data
RUN mkdir /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
# The liveness probe of the API; the worker has no HTTP server (compose.yaml turns this off for it).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# dist/apps/worker/src/main.js for a worker, dist/apps/standalone/src/main.js for both in one.
CMD ["node", "dist/apps/api/src/main.js"]
