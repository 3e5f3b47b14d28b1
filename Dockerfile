# syntax=docker/dockerfile:1
# Alignment Atlas: the GraphQL API with GraphiQL served offline, on python:3.11-slim.
#
#   docker build -t alignment-atlas .
#   docker run -p 8000:8000 -e ATLAS_DATABASE_URL=postgresql://user:pass@db/atlas alignment-atlas
#
# Without ATLAS_DATABASE_URL the container uses an embedded SQLite file in /srv/atlas/var
# (mount a volume there to keep it).

ARG PYTHON_IMAGE=python:3.11-slim
ARG NODE_IMAGE=node:24-slim

# Only npm is taken from this image: Debian's own npm package pulls in hundreds of packages.
FROM ${NODE_IMAGE} AS node

# ---- build: the package in a virtualenv, and GraphiQL's files from the npm registry ----
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && node --version && npm --version

RUN python -m venv /opt/venv
# The source lives at the same path here and in the final image: the app finds alembic/ and
# seeds/ beside its package folder, so the package is installed in place (editable) rather
# than copied into site-packages without them.
WORKDIR /srv/atlas
COPY . .
RUN /opt/venv/bin/pip install -e . \
 && /opt/venv/bin/python -m compileall -q app

# Same command and pinned versions (with their integrity hashes) as a local install; see
# app/graphiql_assets.py. Only the npm registry is contacted; nothing is committed.
RUN /opt/venv/bin/atlas graphiql-assets --dest /opt/graphiql-assets

# ---- runtime ----
FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    ATLAS_HOST=0.0.0.0 \
    ATLAS_PORT=8000 \
    ATLAS_GRAPHIQL_ASSETS=/opt/graphiql-assets

RUN groupadd --system atlas \
 && useradd --system --gid atlas --home-dir /srv/atlas --no-create-home --shell /usr/sbin/nologin atlas

WORKDIR /srv/atlas
# Code, migrations and assets stay owned by root: the service user can read but not change
# them (hence bytecode compiled at build time and PYTHONDONTWRITEBYTECODE).
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/graphiql-assets /opt/graphiql-assets
COPY --from=build /srv/atlas /srv/atlas
# The one writable place: the embedded SQLite database when no ATLAS_DATABASE_URL is given.
RUN mkdir -p /srv/atlas/var && chown atlas:atlas /srv/atlas/var

USER atlas
EXPOSE 8000

# slim has no curl; urlopen raises (non-zero exit) on a refused connection or an HTTP 503.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('ATLAS_PORT', '8000'), timeout=4)"]

# Migrate first, then serve; `exec` makes the server PID 1 so it receives docker stop's SIGTERM.
CMD ["sh", "-c", "atlas db upgrade && exec atlas serve --host 0.0.0.0"]
