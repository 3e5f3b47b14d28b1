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

# ---- build: the wheel, installed into a virtualenv, and GraphiQL's files from the npm registry ----
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && node --version && npm --version

RUN python -m venv /opt/venv
# The wheel, built as `pip install .` builds it, carries the migrations and the seeds inside the
# package (app/_resources, see pyproject.toml), so it is installed as a user installs it: not
# editable, and the runtime image takes the virtualenv alone, no source tree. pip compiles the
# installed modules' bytecode (the runtime cannot write it).
WORKDIR /src
COPY . .
RUN /opt/venv/bin/pip wheel --no-deps -w /tmp/dist . \
 && /opt/venv/bin/pip install /tmp/dist/alignment_atlas-*.whl \
 && rm -r /tmp/dist
# The installed package finds its migrations and seeds in site-packages (-I and cd /: not /src).
RUN cd / && /opt/venv/bin/python -I -c "from app.resources import resource_dir as r; \
a, s = r('alembic'), r('seeds'); print(a, s); \
assert a.is_relative_to('/opt/venv') and (a / 'env.py').is_file(); \
assert s.is_relative_to('/opt/venv') and (s / 'states.csv').is_file()"

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
# Code, migrations, seeds (all in the virtualenv's site-packages) and assets stay owned by root:
# the service user can read but not change them (hence bytecode compiled at build time and
# PYTHONDONTWRITEBYTECODE).
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/graphiql-assets /opt/graphiql-assets
# The one writable place: the embedded SQLite database (./var/atlas.db from the working folder)
# when no ATLAS_DATABASE_URL is given.
RUN mkdir -p /srv/atlas/var && chown atlas:atlas /srv/atlas/var

USER atlas
EXPOSE 8000

# slim has no curl; urlopen raises (non-zero exit) on a refused connection or an HTTP 503.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('ATLAS_PORT', '8000'), timeout=4)"]

# Migrate first, then serve; `exec` makes the server PID 1 so it receives docker stop's SIGTERM.
CMD ["sh", "-c", "atlas db upgrade && exec atlas serve --host 0.0.0.0"]
