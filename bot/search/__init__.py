"""Matching questions to entries: normalisation, the index, and the abstention policy."""

from bot.search.index import Document, Match, SearchIndex
from bot.search.policy import Decision, decide

__all__ = ["Decision", "Document", "Match", "SearchIndex", "decide"]
