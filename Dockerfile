# cxone-snowflake-gateway container image.
#
#   docker build -t cxone-snowflake-gateway .
#   docker run --rm -p 8080:8080 cxone-snowflake-gateway        # no SNOWFLAKE_ACCOUNT: embedded emulator
#
# Three stages, so the runtime image holds neither the TypeScript toolchain nor the sources:
#   build   - all dependencies, tsc compiles src/ to dist/ (tsconfig.build.json) and the emulator workspace
#             package to packages/snowflake-emulator/dist/
#   deps    - production dependencies only (npm ci --omit=dev); tsx, tsc, tap, eslint stay out
#   runtime - node_modules from deps, dist/ from build, the action files, as the unprivileged "node" user
#
# Node 22 LTS on Debian slim: glibc, which the prebuilt DuckDB binding (@duckdb/node-bindings-linux-x64 /
# -linux-arm64) needs; an Alpine (musl) base would pull the -musl bindings instead and is not what we test.
# The tag is written out in each FROM (not an ARG) so linters and readers see it.

FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/snowflake-emulator/package.json ./packages/snowflake-emulator/
# No dependency needs an install script to build (only esbuild, for tsx, has one, and tsc does not use it).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY packages/snowflake-emulator/tsconfig.build.json ./packages/snowflake-emulator/
COPY packages/snowflake-emulator/src ./packages/snowflake-emulator/src
RUN node_modules/.bin/tsc -p tsconfig.build.json && node_modules/.bin/tsc -p packages/snowflake-emulator/tsconfig.build.json

FROM node:22-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/snowflake-emulator/package.json ./packages/snowflake-emulator/
# The production dependencies have no install scripts: the DuckDB binding is a prebuilt optional package
# picked by os/cpu/libc, so --ignore-scripts is safe and keeps third-party code from running at build time.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:22-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    ACTIONS_DIR=/app/actions
WORKDIR /app
# Owned by root and not writable by the process that runs them. package.json is needed at run time:
# its "type": "module" makes node load dist/*.js as ES modules.
# node_modules/snowflake-emulator is a link to packages/snowflake-emulator (an npm workspace), whose
# "compiled" export condition, set in CMD, selects its dist/ rather than its TypeScript source.
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY packages/snowflake-emulator/package.json ./packages/snowflake-emulator/
COPY --from=build /app/packages/snowflake-emulator/dist ./packages/snowflake-emulator/dist
COPY actions ./actions
# "node" (uid 1000) comes with the base image.
USER node
EXPOSE 8080
# No curl in slim: node's fetch. Follows PORT if it is overridden.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/health/live',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form, no npm and no shell in between: SIGTERM from `docker stop` reaches node itself, where
# close-with-grace drains requests and closes the warehouse pool (up to 10 s) and exits 0. Node runs as
# PID 1 without an init: it spawns no child processes, so there are no zombies to reap, and it installs its
# own SIGTERM/SIGINT handlers (PID 1 gets no default signal action). Give `docker stop` more than 10 s
# (-t 20; compose sets stop_grace_period). `docker run --init` / compose `init: true` is optional: it also
# covers a SIGTERM arriving in the first seconds of start-up, before the handlers are installed.
STOPSIGNAL SIGTERM
CMD ["node", "--conditions=compiled", "--enable-source-maps", "dist/server.js"]
