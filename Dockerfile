# syntax=docker/dockerfile:1
#
# One image for the poller and the workers; docker-compose.yml chooses the
# command (`poller` or `worker`). Three stages, so the runtime image carries
# neither the TypeScript compiler, nor the dev dependencies, nor the C++
# toolchain that native modules may need.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------
# build: all dependencies, then tsc -> dist/
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the root `prepare` script runs tsc before the sources are
# here, and tsc needs no native module built.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY core ./core
COPY adapters ./adapters
COPY services ./services
COPY workers ./workers
# The local development stack (dev/local): `start` on the local default needs it,
# and services/run-commands.ts imports it, so it is compiled with the rest.
COPY dev ./dev
RUN npx tsc -p tsconfig.build.json

# ---------------------------------------------------------------------------
# deps: production dependencies only, native modules compiled for this image
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# better-sqlite3 fetches a prebuilt binary when it can and compiles with
# node-gyp when it cannot (an offline or proxied build): keep both working.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# `prepare` would run tsc, a dev dependency that --omit=dev leaves out; dist/
# comes from the build stage instead. Other install scripts (native modules) run.
RUN npm pkg delete scripts.prepare \
 && npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# ---------------------------------------------------------------------------
# runtime
FROM ${NODE_IMAGE} AS runtime
# The run-time Debian packages of scripts/lib/ensure.sh: qpdf (decrypting
# owner-password PDFs, which pdf-lib cannot split), poppler-utils (pdftoppm:
# thumbnails and pages for OCR) and tesseract with the languages of the
# call's documents (scanned pages), fonts-dejavu-core (the committee pack's
# cover sheets in any Latin, Greek or Cyrillic name). Redis and the mail server run as services of their own.
RUN apt-get update \
 && apt-get install -y --no-install-recommends qpdf poppler-utils fonts-dejavu-core \
    tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-deu tesseract-ocr-ita \
    tesseract-ocr-spa tesseract-ocr-por tesseract-ocr-nld tesseract-ocr-pol \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    ESOR_DATA_DIR=/data \
    ESOR_RULES_DIR=/app/rules \
    ESOR_HTTP_HOST=0.0.0.0 \
    ESOR_HTTP_PORT=9464
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY rules ./rules
# The dashboard's stylesheet and script (tsc copies no assets into dist/).
COPY services/dashboard/static ./services/dashboard/static
# The data folder belongs to the unprivileged `node` user; a named volume
# mounted here on first use takes this owner.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 9464 8080
ENTRYPOINT ["/app/bin/esor-intake"]
CMD ["worker"]
