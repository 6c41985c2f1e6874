FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 10001 faqbot

# Dependencies first, from the project's metadata alone: a change to the code reuses this layer.
# The postgres extra comes too, so one image runs on SQLite or a shared PostgreSQL.
COPY pyproject.toml ./
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; print('\n'.join(p['dependencies'] + p['optional-dependencies']['postgres']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

COPY README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY config ./config
RUN pip install --no-deps .

# The knowledge baked in is the default; mount your own folder over /app/knowledge to edit it
# live (the bot reloads on save).
COPY knowledge ./knowledge
RUN mkdir -p /app/data && chown faqbot:faqbot /app/data

USER faqbot
ENV KNOWLEDGE_DIR=/app/knowledge \
    STORE_DATABASE=/app/data/faqbot.sqlite3
VOLUME ["/app/data"]
# Slack's HTTP mode only (SLACK_MODE=http): Socket Mode and Discord open no port.
EXPOSE 3000
# Every mode rewrites a heartbeat in /app/data while it runs; this reads it.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-m", "bot", "health"]

# Exec form: the bot is PID 1 and gets SIGTERM from `docker stop` itself, and shuts down cleanly.
# It starts every adapter whose tokens are set (SLACK_*, DISCORD_TOKEN); with none, the console.
CMD ["python", "-m", "bot", "run"]
