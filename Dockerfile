# Veldgids in a container: `docker build -t veldgids .`, then see deploy/compose.yaml.
# One container per library: its own bot token, database and data dir (README, "Running it
# for a library").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /opt/veldgids
# Only what the package needs: its metadata, the lock and its four packages. Every package
# comes at the version and hash in uv.lock, as with `make run`; uv leaves once it is done.
COPY pyproject.toml uv.lock README.md deploy/uv-requirements.txt ./
COPY bot ./bot
COPY dialogs ./dialogs
COPY search ./search
COPY storage ./storage
RUN pip install --require-hashes -r uv-requirements.txt \
    && UV_PROJECT_ENVIRONMENT=/usr/local UV_PYTHON_DOWNLOADS=never \
       uv sync --frozen --no-editable --inexact --no-cache \
    && pip uninstall -y uv && rm -rf build *.egg-info uv-requirements.txt
# deduce's lookup structures (77 MB, about 70 s to build), built into its package folder
# while that is still writable: the first shareable export then loads them in seconds.
RUN python -m bot.features.export.deduce_spans

# A user without a login or a shell; it owns only the volume.
RUN useradd --system --uid 10001 --home-dir /var/lib/veldgids --shell /usr/sbin/nologin veldgids \
    && mkdir -p /var/lib/veldgids/data && chown -R veldgids:veldgids /var/lib/veldgids

# The database and the librarians' files live on the volume; /healthz listens on every
# interface of the container (publish the port on 127.0.0.1 only, see deploy/compose.yaml).
ENV VELDGIDS_DB=/var/lib/veldgids/veldgids.db \
    VELDGIDS_DATA_DIR=/var/lib/veldgids/data \
    VELDGIDS_LISTEN=0.0.0.0:8080
VOLUME /var/lib/veldgids
WORKDIR /var/lib/veldgids
USER veldgids
EXPOSE 8080

# SIGTERM finishes the updates in hand and closes the database; give it the time it needs.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-m", "bot.ops.healthcheck"]
ENTRYPOINT ["veldgids"]
CMD ["run"]
