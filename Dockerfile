FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 10001 faqbot

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY config ./config
RUN pip install .

COPY knowledge ./knowledge
RUN mkdir -p /app/data && chown faqbot:faqbot /app/data

USER faqbot
ENV KNOWLEDGE_DIR=/app/knowledge \
    STORE_DATABASE=/app/data/faqbot.sqlite3
VOLUME ["/app/data"]
EXPOSE 3000

# Starts every adapter whose tokens are set (SLACK_*, DISCORD_TOKEN); with none, the console.
CMD ["python", "-m", "bot", "run"]
