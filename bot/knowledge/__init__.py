"""Knowledge: the moderators' files, validated into immutable snapshots."""

from bot.knowledge.loader import KnowledgeError, LoadResult, Snapshot, load_knowledge
from bot.knowledge.models import Briefing, CitationSpec, Entry, SourceDocument

__all__ = [
    "Briefing",
    "CitationSpec",
    "Entry",
    "KnowledgeError",
    "LoadResult",
    "Snapshot",
    "SourceDocument",
    "load_knowledge",
]
