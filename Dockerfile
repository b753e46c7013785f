# The codestreak application. One image for every role: `run` (website, bot and sandbox pool in
# one process, the default command), or `migrate`, `web`, `bot` and `grader` when scaled out
# (compose.yaml, docs/operations.md).
# Production builds on the official image; an offline build passes BASE=<an image made from
# Debian packages with python3-venv> (see tests/deploy).
ARG BASE=python:3.11-slim

FROM ${BASE} AS build
RUN python3 -m venv /opt/codestreak
# the locked dependencies first (their own layer, kept while only the sources change)
COPY requirements/run.txt /src/requirements/run.txt
RUN /opt/codestreak/bin/pip install --no-cache-dir --disable-pip-version-check \
        --require-hashes -r /src/requirements/run.txt
COPY pyproject.toml README.md /src/
COPY core /src/core
COPY sandbox /src/sandbox
COPY bot /src/bot
COPY api /src/api
COPY cli /src/cli
COPY grading_queue /src/grading_queue
COPY migrations /src/migrations
RUN /opt/codestreak/bin/pip install --no-cache-dir --disable-pip-version-check \
        --no-deps --no-build-isolation /src

FROM ${BASE}
RUN groupadd --gid 10000 codestreak \
    && useradd --uid 10000 --gid 10000 --home-dir /app --shell /usr/sbin/nologin codestreak \
    && mkdir -p /app/var \
    && chown codestreak:codestreak /app/var
COPY --from=build /opt/codestreak /opt/codestreak
COPY data /app/data
WORKDIR /app
ENV PATH=/opt/codestreak/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    CONTENT_DIR=/app/data
USER codestreak
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s \
    CMD ["python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
ENTRYPOINT ["codestreak"]
CMD ["run", "--host", "0.0.0.0", "--port", "8000"]
