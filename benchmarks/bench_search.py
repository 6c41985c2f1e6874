"""Benchmark the search index on synthetic knowledge of growing size against a plain rapidfuzz
baseline, and time the real knowledge's reload and the `ask` command's cold start.

Run from the project root: `.venv/bin/python benchmarks/bench_search.py [--sizes 1000,10000]
[--quick] [--strict]`. See benchmarks/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.search import Document, SearchIndex
from bot.search.text import stem
from bot.service import QAService

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"

# Everything random derives from this seed, so two runs measure the same knowledge and queries.
SEED = 20_240_601
DEFAULT_SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000,)
LARGE_SIZE = 1_000_000  # with --large

# The synthetic vocabulary: made-up words built from English-like syllables, plus common words.
MADE_UP_WORD_COUNT = 30_000
# Made-up words that never enter the knowledge: they make the unrelated questions.
UNRELATED_WORD_COUNT = 2_000
ONSETS = (
    "b",
    "d",
    "f",
    "g",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "z",
    "br",
    "dr",
    "gr",
    "kl",
    "pl",
    "st",
    "tr",
    "sh",
    "ch",
    "th",
)
VOWELS = ("a", "e", "i", "o", "u", "ai", "ou", "ea")
CODAS = ("", "", "", "n", "r", "l", "s", "m", "k", "x")
# Mostly two syllables, which keeps made-up words near English length (five to eight letters).
SYLLABLE_COUNTS = (1, 2, 2, 2, 3)
COMMON_WORDS = tuple(
    """
the of and to a in is it you that he was for on are with as his they be at one have this from
or had by not but what some we can out other were all there when up use your how said an each
she which do their time if will way about many then them would write like so these her long
make thing see him two has look more day could go come did number sound no most people my over
know water than call first who may down side been now find any new work part take get place
made live where after back little only round man year came show every good me give our under
name very through just form great think say help low line differ turn cause much mean before
move right boy old too same tell does set three want air well also play small end put home read
hand port large spell add even land here must big high such follow act why ask men change went
light kind off need house picture try us again animal point mother world near build self earth
father head stand own page should country found answer school grow study still learn plant
cover food sun four between state keep eye never last let thought city tree cross farm hard
start might story saw far sea draw left late run while press close night real life few north
""".split()
)
# Word frequency falls with rank as 1/rank**s; s = 1 is Zipf's law for natural language.
ZIPF_EXPONENT = 1.0

# The shape of an entry.
QUESTION_STARTS = ("what", "how", "why", "when", "who", "which", "where", "does", "can", "is")
TOPIC_WORDS_PER_ENTRY = (2, 4)
WORDS_PER_PHRASING = (5, 12)
PHRASINGS_PER_ENTRY = (3, 6)
SENTENCES_PER_ANSWER = (1, 3)
WORDS_PER_SENTENCE = (6, 14)
# A paraphrase keeps each of the entry's topic words with this chance (but always two).
KEEP_TOPIC_WORD = 0.85
MIN_TOPIC_WORDS_KEPT = 2

# The questions asked: perturbed phrasings, plus some that no entry answers.
QUERIES_PER_SIZE = 600
QUICK_QUERIES_PER_SIZE = 60
UNRELATED_SHARE = 0.15
# Vague questions: a question word and one to three of the knowledge's most frequent words,
# drawn from this many of them (the slow corner of an inverted index: long postings).
VAGUE_QUERIES_PER_SIZE = 200
QUICK_VAGUE_QUERIES_PER_SIZE = 40
VAGUE_POOL = 12
WARMUP_QUERIES = 20
# A typo needs a word long enough to still be recognisable.
TYPO_MIN_WORD_LENGTH = 5
LETTERS = "abcdefghijklmnopqrstuvwxyz"

# The extractOne baseline scans every phrasing, so its cost grows with size: it gets about this
# many entries x queries of work per size, clamped to the bounds below.
BASELINE_WORK = 1_000_000
BASELINE_QUERIES_BOUNDS = (30, 300)
QUICK_BASELINE_QUERIES = 20

# The machine reference: a fixed workload of 2,000 words split and counted this many times,
# the best of a few runs.
REFERENCE_REPEATS = 500
REFERENCE_RUNS = 3

# The real knowledge.
COLD_START_QUESTION = "why did canada cut ties with iran"
COLD_START_RUNS = 5
RELOAD_RUNS = 10
QUICK_COLD_START_RUNS = 1
QUICK_RELOAD_RUNS = 3
# `ask` must never load a chat platform's library (bot/cli.py imports adapters lazily).
FORBIDDEN_IMPORTS = ("discord", "slack_bolt", "slack_sdk")

# The targets.
P50_TARGETS_MS = {10_000: 1.0, 100_000: 2.0}
P99_TARGET_SIZE = 100_000
P99_TARGET_MS = 10.0
SPEEDUP_TARGET_SIZE = 10_000
SPEEDUP_TARGET = 10.0
BUILD_TARGET_SIZE = 100_000
BUILD_TARGET_S = 4.0
RSS_TARGET_MIB = 120.0
COLD_START_TARGET_S = 0.3
# Messages at the most the bot reads of a paste, made to be slow to read: walls of commas,
# marks, one word again and again, emoji, the bot's name. The slowest must stay well inside
# what a chat user waits for.
HARD_MESSAGES = (
    "searched the faq" + ", ," * 6000,
    ", " * 10000 + "when is it?",
    "a, " * 6600 + "when is it",
    "what " * 4000,
    "? " * 10000,
    "🙂 " * 10000,
    "hey faqbot " * 1800,
    "x" * 20000,
)
HARD_MESSAGE_TARGET_MS = 500.0
RELOAD_TARGET_MS = 100.0
# A one-file edit with this many more entries in other files (fewer with --quick).
LARGE_RELOAD_ENTRIES = 10_000
QUICK_LARGE_RELOAD_ENTRIES = 1_000
LARGE_RELOAD_TARGET_MS = 300.0
# Synthetic entries per YAML file in that knowledge.
ENTRIES_PER_FILE = 500

REPORT_HEADER = "# Search benchmark"
MIB = 1024 * 1024


@dataclass(frozen=True)
class Vocabulary:
    """The words entries are made of, ranked from most to least frequent."""

    words: tuple[str, ...]  # common words first, then made-up ones
    cum_weights: tuple[float, ...]
    made_up: tuple[str, ...]
    made_up_cum_weights: tuple[float, ...]
    unrelated: tuple[str, ...]

    def draw(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum_weights, k=count)

    def draw_distinct_made_up(self, rng: random.Random, count: int) -> list[str]:
        drawn: dict[str, None] = {}
        while len(drawn) < count:
            drawn.update(
                dict.fromkeys(
                    rng.choices(self.made_up, cum_weights=self.made_up_cum_weights, k=count)
                )
            )
        return list(drawn)[:count]


@dataclass(frozen=True)
class Query:
    text: str
    expected: str | None  # the key of the entry it was made from; None when unrelated
    perturbation: str


@dataclass(frozen=True)
class RunPlan:
    sizes: tuple[int, ...]
    queries_per_size: int
    quick: bool
    cold_start_runs: int
    reload_runs: int
    vague_queries_per_size: int


@dataclass(frozen=True)
class Timings:
    """Per-query latencies in seconds and whether each answer's top hit was right."""

    seconds: tuple[float, ...]
    correct: tuple[bool | None, ...]  # None for unrelated queries


@dataclass(frozen=True)
class SizeResult:
    size: int
    phrasings: int
    build_s: float
    rss_kept_bytes: int | None  # resident memory the index holds (Linux), None elsewhere
    build_peak_bytes: int
    retained_bytes: int
    index: Timings
    baseline: Timings
    vague: Timings
    bm25s: Timings | None = None  # None when bm25s is not installed
    bm25s_build_s: float | None = None


@dataclass(frozen=True)
class ArticleResult:
    reload_ms: float
    large_reload_ms: float
    large_reload_entries: int
    cold_start_s: float
    forbidden_imports: tuple[str, ...]
    hard_message_ms: float  # the slowest of HARD_MESSAGES


@dataclass(frozen=True)
class Target:
    name: str
    goal: str
    measured: str
    passed: bool | None  # None when not measured in this run


# --- synthetic knowledge -------------------------------------------------------------------


def zipf_cum_weights(count: int) -> tuple[float, ...]:
    return tuple(itertools.accumulate(1 / rank**ZIPF_EXPONENT for rank in range(1, count + 1)))


def made_up_word(rng: random.Random) -> str:
    syllables = rng.choice(SYLLABLE_COUNTS)
    return "".join(
        rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables)
    )


def unique_made_up_words(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    words: list[str] = []
    while len(words) < count:
        word = made_up_word(rng)
        if word not in taken:
            taken.add(word)
            words.append(word)
    return words


def build_vocabulary(rng: random.Random) -> Vocabulary:
    taken = set(COMMON_WORDS)
    made_up = tuple(unique_made_up_words(rng, MADE_UP_WORD_COUNT, taken))
    unrelated = tuple(unique_made_up_words(rng, UNRELATED_WORD_COUNT, taken))
    words = COMMON_WORDS + made_up
    return Vocabulary(
        words, zipf_cum_weights(len(words)), made_up, zipf_cum_weights(len(made_up)), unrelated
    )


def sentence(words: Sequence[str], ending: str) -> str:
    text = " ".join(words)
    return text[:1].upper() + text[1:] + ending


def make_phrasing(rng: random.Random, vocabulary: Vocabulary, topic: Sequence[str]) -> str:
    kept = [word for word in topic if rng.random() < KEEP_TOPIC_WORD]
    if len(kept) < MIN_TOPIC_WORDS_KEPT:
        kept = list(topic[:MIN_TOPIC_WORDS_KEPT])
    length = rng.randint(*WORDS_PER_PHRASING)
    body = kept + vocabulary.draw(rng, max(0, length - 1 - len(kept)))
    rng.shuffle(body)
    return sentence([rng.choice(QUESTION_STARTS), *body], "?")


def make_answer(rng: random.Random, vocabulary: Vocabulary, topic: Sequence[str]) -> str:
    sentences = []
    for _ in range(rng.randint(*SENTENCES_PER_ANSWER)):
        words = vocabulary.draw(rng, rng.randint(*WORDS_PER_SENTENCE))
        words[rng.randrange(len(words))] = rng.choice(topic)
        sentences.append(sentence(words, "."))
    return " ".join(sentences)


def make_document(rng: random.Random, vocabulary: Vocabulary, number: int) -> Document:
    topic = vocabulary.draw_distinct_made_up(rng, rng.randint(*TOPIC_WORDS_PER_ENTRY))
    phrasings = tuple(
        make_phrasing(rng, vocabulary, topic) for _ in range(rng.randint(*PHRASINGS_PER_ENTRY))
    )
    return Document(
        key=f"entry-{number}", phrasings=phrasings, answer=make_answer(rng, vocabulary, topic)
    )


def make_documents(size: int, vocabulary: Vocabulary) -> list[Document]:
    rng = random.Random(SEED + size)
    return [make_document(rng, vocabulary, number) for number in range(size)]


# --- queries -------------------------------------------------------------------------------


def drop_word(rng: random.Random, words: list[str]) -> list[str]:
    if len(words) > 2:
        del words[rng.randrange(1, len(words))]
    return words


def typo(rng: random.Random, words: list[str]) -> list[str]:
    candidates = [i for i, word in enumerate(words) if len(word) >= TYPO_MIN_WORD_LENGTH]
    if not candidates:
        return drop_word(rng, words)
    position = rng.choice(candidates)
    word = words[position]
    at = rng.randrange(1, len(word) - 1)  # keep the first letter, as most typos do
    edit = rng.choice(("substitute", "delete", "insert", "transpose"))
    if edit == "substitute":
        word = word[:at] + rng.choice(LETTERS) + word[at + 1 :]
    elif edit == "delete":
        word = word[:at] + word[at + 1 :]
    elif edit == "insert":
        word = word[:at] + rng.choice(LETTERS) + word[at:]
    else:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    words[position] = word
    return words


def reorder(rng: random.Random, words: list[str]) -> list[str]:
    rng.shuffle(words)
    return words


PERTURBATIONS: dict[str, Callable[[random.Random, list[str]], list[str]]] = {
    "dropped word": drop_word,
    "typo": typo,
    "word order": reorder,
}


def perturbed_query(rng: random.Random, document: Document) -> Query:
    name = rng.choice(sorted(PERTURBATIONS))
    words = rng.choice(document.phrasings).rstrip("?").split()
    return Query(" ".join(PERTURBATIONS[name](rng, words)) + "?", document.key, name)


def unrelated_query(rng: random.Random, vocabulary: Vocabulary) -> Query:
    length = rng.randint(*WORDS_PER_PHRASING)
    topic = rng.sample(vocabulary.unrelated, rng.randint(*TOPIC_WORDS_PER_ENTRY))
    body = topic + rng.choices(COMMON_WORDS, k=max(0, length - 1 - len(topic)))
    rng.shuffle(body)
    return Query(sentence([rng.choice(QUESTION_STARTS), *body], "?"), None, "unrelated")


def vague_queries(vocabulary: Vocabulary, count: int) -> list[Query]:
    """Questions made only of the most frequent words ("how broum plosso?")."""
    rng = random.Random(SEED + 1)
    frequent = vocabulary.made_up[:VAGUE_POOL]
    return [
        Query(
            sentence([rng.choice(QUESTION_STARTS), *rng.sample(frequent, rng.randint(1, 3))], "?"),
            None,
            "vague",
        )
        for _ in range(count)
    ]


def make_queries(documents: Sequence[Document], vocabulary: Vocabulary, count: int) -> list[Query]:
    rng = random.Random(SEED - len(documents))
    return [
        unrelated_query(rng, vocabulary)
        if rng.random() < UNRELATED_SHARE
        else perturbed_query(rng, rng.choice(documents))
        for _ in range(count)
    ]


# --- measuring -----------------------------------------------------------------------------


def timed_build(documents: Sequence[Document]) -> tuple[SearchIndex, float, int | None]:
    """Build from a cold stem cache, as a fresh process would: the index, its build time and
    the resident memory it added (after the build's garbage is collected)."""
    stem.cache_clear()
    gc.collect()
    before = resident_bytes()
    start = time.perf_counter()
    index = SearchIndex(documents)
    elapsed = time.perf_counter() - start
    gc.collect()
    after = resident_bytes()
    return index, elapsed, None if before is None or after is None else after - before


def resident_bytes() -> int | None:
    """This process's resident set size, from /proc (Linux); None where there is none."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def traced_build(documents: Sequence[Document]) -> tuple[int, int]:
    """(peak, retained) bytes that a build allocates, by tracemalloc: a second, slower build."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        index = SearchIndex(documents)
        retained, peak = tracemalloc.get_traced_memory()
        del index
    finally:
        tracemalloc.stop()
    return peak - before, retained - before


def time_queries(queries: Sequence[Query], top_key: Callable[[str], str | None]) -> Timings:
    seconds: list[float] = []
    correct: list[bool | None] = []
    for query in queries:
        start = time.perf_counter()
        key = top_key(query.text)
        seconds.append(time.perf_counter() - start)
        correct.append(None if query.expected is None else key == query.expected)
    return Timings(tuple(seconds), tuple(correct))


def index_top_key(index: SearchIndex) -> Callable[[str], str | None]:
    def top_key(question: str) -> str | None:
        matches = index.rank(question, limit=5)
        return matches[0].key if matches else None

    return top_key


def baseline_top_key(documents: Sequence[Document]) -> Callable[[str], str | None]:
    """The plain matcher: extractOne with token_set_ratio over every phrasing of every entry."""
    choices = [phrasing for doc in documents for phrasing in doc.phrasings]
    owners = [doc.key for doc in documents for _ in doc.phrasings]

    def top_key(question: str) -> str | None:
        found = process.extractOne(question, choices, scorer=fuzz.token_set_ratio)
        return owners[found[2]] if found else None

    return top_key


def bm25s_top_key(
    documents: Sequence[Document],
) -> tuple[Callable[[str], str | None], float] | None:
    """bm25s (a fast BM25 on sparse matrices) over the same text the index reads: each entry's
    phrasings and answer, English stop words out, Snowball-stemmed. None when not installed."""
    try:
        import bm25s
        import Stemmer
    except ImportError:
        return None
    stemmer = Stemmer.Stemmer("english")
    keys = [doc.key for doc in documents]
    corpus = [" ".join((*doc.phrasings, doc.answer)) for doc in documents]
    start = time.perf_counter()
    tokens = bm25s.tokenize(corpus, stopwords="en", stemmer=stemmer, show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    build_s = time.perf_counter() - start

    def top_key(question: str) -> str | None:
        query = bm25s.tokenize([question], stopwords="en", stemmer=stemmer, show_progress=False)
        if not query.vocab:
            return None
        found, _ = retriever.retrieve(query, k=1, show_progress=False, n_threads=1)
        return keys[int(found[0][0])]

    return top_key, build_s


def baseline_query_count(size: int, plan: RunPlan) -> int:
    if plan.quick:
        return QUICK_BASELINE_QUERIES
    low, high = BASELINE_QUERIES_BOUNDS
    return max(low, min(high, BASELINE_WORK // size))


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def bench_size(size: int, vocabulary: Vocabulary, plan: RunPlan) -> SizeResult:
    progress(f"[{size:,}] generating entries and queries")
    documents = make_documents(size, vocabulary)
    queries = make_queries(documents, vocabulary, plan.queries_per_size + WARMUP_QUERIES)
    warmup, queries = queries[:WARMUP_QUERIES], queries[WARMUP_QUERIES:]
    progress(f"[{size:,}] building the index")
    index, build_s, rss_kept = timed_build(documents)
    progress(f"[{size:,}] ranking {len(queries)} queries")
    rank = index_top_key(index)
    time_queries(warmup, rank)
    index_timings = time_queries(queries, rank)
    vague = vague_queries(vocabulary, plan.vague_queries_per_size)
    progress(f"[{size:,}] ranking {len(vague)} vague queries")
    vague_timings = time_queries(vague, rank)
    baseline_queries = queries[: baseline_query_count(size, plan)]
    progress(f"[{size:,}] extractOne baseline over {len(baseline_queries)} queries")
    baseline_timings = time_queries(baseline_queries, baseline_top_key(documents))
    bm25s_timings, bm25s_build_s = None, None
    bm25s_ranker = bm25s_top_key(documents)
    if bm25s_ranker is not None:
        progress(f"[{size:,}] bm25s over the same {len(queries)} queries")
        time_queries(warmup, bm25s_ranker[0])
        bm25s_timings, bm25s_build_s = time_queries(queries, bm25s_ranker[0]), bm25s_ranker[1]
        del bm25s_ranker
    del index
    progress(f"[{size:,}] measuring memory (tracemalloc)")
    peak, retained = traced_build(documents)
    return SizeResult(
        size,
        sum(len(doc.phrasings) for doc in documents),
        build_s,
        rss_kept,
        peak,
        retained,
        index_timings,
        baseline_timings,
        vague_timings,
        bm25s_timings,
        bm25s_build_s,
    )


def time_reloads(runs: int, vocabulary: Vocabulary | None = None, extra_entries: int = 0) -> float:
    """Median seconds of QAService.reload() after a one-file edit, on a private copy of the
    knowledge; with `extra_entries` synthetic entries in other files (and their source)."""
    with tempfile.TemporaryDirectory() as tmp:
        knowledge = Path(tmp) / "knowledge"
        shutil.copytree(KNOWLEDGE_DIR, knowledge)
        if extra_entries and vocabulary is not None:
            write_synthetic_knowledge(knowledge, make_documents(extra_entries, vocabulary))
        service = QAService.from_directory(knowledge)
        edited = sorted(KNOWLEDGE_DIR.rglob("*.yaml"))[0]
        edited = knowledge / edited.relative_to(KNOWLEDGE_DIR)
        seconds = []
        for run in range(runs):
            with edited.open("a", encoding="utf-8") as file:
                file.write(f"\n# benchmark edit {run}\n")  # a new version, same entries
            start = time.perf_counter()
            result = service.reload()
            seconds.append(time.perf_counter() - start)
            if not (result.ok and result.changed):
                raise RuntimeError(f"reload after editing {edited.name} failed: {result}")
    return statistics.median(seconds)


def write_synthetic_knowledge(knowledge: Path, documents: Sequence[Document]) -> None:
    """The documents as knowledge files (ENTRIES_PER_FILE a file) citing one source document,
    a section per entry, as a moderator's folder would hold them."""
    folder = knowledge / "synthetic"
    folder.mkdir()
    source = ["# Synthetic source", ""]
    for start in range(0, len(documents), ENTRIES_PER_FILE):
        lines = ["entries:"]
        for doc in documents[start : start + ENTRIES_PER_FILE]:
            source += [f"## Section {doc.key}", "", doc.answer, ""]
            lines += [
                f"  - id: synthetic-{doc.key}",
                f"    question: {json.dumps(doc.phrasings[0])}",
                f"    answer: {json.dumps(doc.answer)}",
                "    phrasings:",
                *(f"      - {json.dumps(phrasing)}" for phrasing in doc.phrasings[1:]),
                "    citations:",
                "      - source: synthetic",
                f"        section: Section {doc.key}",
                f"        quote: {json.dumps(doc.answer.split('.')[0])}",
            ]
        (folder / f"part-{start // ENTRIES_PER_FILE:04d}.yaml").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )
    (knowledge / "sources" / "synthetic.md").write_text("\n".join(source) + "\n", "utf-8")


def ask_command(*python_options: str) -> list[str]:
    return [sys.executable, *python_options, "-m", "bot", "ask", COLD_START_QUESTION]


def run_ask(command: Sequence[str]) -> tuple[float, str]:
    """Wall seconds and stderr of one `ask` subprocess run from the project root."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}")
    return elapsed, done.stderr


def imported_modules(importtime_log: str) -> list[str]:
    """Module names from `-X importtime` lines: 'import time: self | cumulative | name'."""
    return [
        line.rsplit("|", 1)[1].strip()
        for line in importtime_log.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    ]


def bench_article(plan: RunPlan, vocabulary: Vocabulary) -> ArticleResult:
    progress(f"[article] reloading the knowledge {plan.reload_runs} times")
    reload_s = time_reloads(plan.reload_runs)
    extra = QUICK_LARGE_RELOAD_ENTRIES if plan.quick else LARGE_RELOAD_ENTRIES
    progress(f"[article] the same with {extra:,} more entries in other files")
    large_reload_s = time_reloads(plan.reload_runs, vocabulary, extra)
    progress(f"[article] cold start of `ask`, {plan.cold_start_runs} runs")
    cold = statistics.median(run_ask(ask_command())[0] for _ in range(plan.cold_start_runs))
    modules = imported_modules(run_ask(ask_command("-X", "importtime"))[1])
    forbidden = sorted({m for m in modules if any(name in m for name in FORBIDDEN_IMPORTS)})
    progress(f"[article] {len(HARD_MESSAGES)} messages made to be slow to read")
    hard = time_hard_messages()
    return ArticleResult(
        reload_s * 1000, large_reload_s * 1000, extra, cold, tuple(forbidden), hard
    )


def time_hard_messages() -> float:
    """Milliseconds the slowest of HARD_MESSAGES takes to answer, with the real knowledge."""
    service = QAService.from_directory(KNOWLEDGE_DIR)
    slowest = 0.0
    for message in HARD_MESSAGES:
        start = time.perf_counter()
        service.ask(message)
        slowest = max(slowest, time.perf_counter() - start)
    return slowest * 1000


def machine_reference() -> float:
    """Seconds a fixed pure-Python workload takes (splitting text into words and counting
    them, as reading the knowledge does), best of REFERENCE_RUNS: how fast this machine runs
    Python today. The same code's timings move with it from day to day, so runs made on
    different days compare through it."""
    text = " ".join(f"w{number % 997}" for number in range(2000))
    best = math.inf
    for _ in range(REFERENCE_RUNS):
        start = time.perf_counter()
        counts: dict[str, int] = {}
        for _ in range(REFERENCE_REPEATS):
            for word in text.split():
                counts[word] = counts.get(word, 0) + 1
        best = min(best, time.perf_counter() - start)
    return best


# --- reporting -----------------------------------------------------------------------------


def percentile_ms(seconds: Sequence[float], share: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    ordered = sorted(seconds)
    position = max(0, math.ceil(round(share * len(ordered), 9)) - 1)
    return ordered[position] * 1000


def p50_ms(timings: Timings, first: int | None = None) -> float:
    return percentile_ms(timings.seconds[:first], 0.50)


def accuracy(correct: Sequence[bool | None]) -> str:
    judged = [c for c in correct if c is not None]
    return f"{sum(judged) / len(judged):.1%} ({len(judged)})" if judged else "n/a"


def speedup(result: SizeResult) -> float:
    """Baseline p50 over index p50, both over the baseline's (fewer) queries."""
    count = len(result.baseline.seconds)
    return p50_ms(result.baseline) / p50_ms(result.index, count)


def size_table(results: Sequence[SizeResult]) -> list[str]:
    lines = [
        "| entries | phrasings | build s | RSS kept MiB | build peak MiB | retained MiB | queries "
        "| rank p50 ms | rank p99 ms | rank top-1 | extractOne queries | extractOne p50 ms "
        "| extractOne p99 ms | extractOne top-1 | rank top-1, same queries | speed-up (p50) "
        "| vague queries | vague p50 ms | vague p99 ms |",
        "|" + "---:|" * 19,
    ]
    for r in results:
        count = len(r.baseline.seconds)
        lines.append(
            f"| {r.size:,} | {r.phrasings:,} | {r.build_s:.2f} | {mib(r.rss_kept_bytes)} "
            f"| {r.build_peak_bytes / MIB:.1f} "
            f"| {r.retained_bytes / MIB:.1f} | {len(r.index.seconds)} "
            f"| {p50_ms(r.index):.3f} | {percentile_ms(r.index.seconds, 0.99):.3f} "
            f"| {accuracy(r.index.correct)} | {count} | {p50_ms(r.baseline):.3f} "
            f"| {percentile_ms(r.baseline.seconds, 0.99):.3f} | {accuracy(r.baseline.correct)} "
            f"| {accuracy(r.index.correct[:count])} | {speedup(r):.1f}x "
            f"| {len(r.vague.seconds)} | {p50_ms(r.vague):.3f} "
            f"| {percentile_ms(r.vague.seconds, 0.99):.3f} |"
        )
    return lines


def bm25s_table(results: Sequence[SizeResult]) -> list[str]:
    """The index and bm25s side by side, over the same queries."""
    lines = [
        "| entries | rank build s | bm25s build s | rank p50 ms | bm25s p50 ms | rank p99 ms "
        "| bm25s p99 ms | rank top-1 | bm25s top-1 |",
        "|" + "---:|" * 9,
    ]
    for r in results:
        if r.bm25s is None or r.bm25s_build_s is None:
            lines.append(f"| {r.size:,} | {r.build_s:.2f} | not installed | | | | | | |")
            continue
        lines.append(
            f"| {r.size:,} | {r.build_s:.2f} | {r.bm25s_build_s:.2f} | {p50_ms(r.index):.3f} "
            f"| {p50_ms(r.bm25s):.3f} | {percentile_ms(r.index.seconds, 0.99):.3f} "
            f"| {percentile_ms(r.bm25s.seconds, 0.99):.3f} | {accuracy(r.index.correct)} "
            f"| {accuracy(r.bm25s.correct)} |"
        )
    return lines


def faster_than_bm25s(result: SizeResult) -> tuple[str, bool]:
    if result.bm25s is None:
        return "bm25s not installed", False
    ours, theirs = p50_ms(result.index), p50_ms(result.bm25s)
    lead = top1_share(result.index.correct) - top1_share(result.bm25s.correct)
    return (
        f"{ours:.3f} ms vs {theirs:.3f} ms, top-1 lead {lead * 100:+.1f} points",
        ours <= theirs and lead >= 0,
    )


def top1_share(correct: Sequence[bool | None]) -> float:
    judged = [c for c in correct if c is not None]
    return sum(judged) / len(judged) if judged else 0.0


def article_table(article: ArticleResult, plan: RunPlan) -> list[str]:
    imports = ", ".join(article.forbidden_imports) or "none"
    return [
        "| real knowledge | value |",
        "|---|---:|",
        f"| reload after an edit, median of {plan.reload_runs} | {article.reload_ms:.1f} ms |",
        f"| the same with {article.large_reload_entries:,} more entries in other files "
        f"| {article.large_reload_ms:.1f} ms |",
        f"| cold start of `python -m bot ask`, median of {plan.cold_start_runs} "
        f"| {article.cold_start_s:.3f} s |",
        f"| discord / slack modules imported by `ask` | {imports} |",
        f"| slowest of {len(HARD_MESSAGES)} messages made to be slow to read "
        f"| {article.hard_message_ms:.1f} ms |",
    ]


def mib(size: int | None) -> str:
    return "n/a" if size is None else f"{size / MIB:.1f}"


def by_size(results: Sequence[SizeResult], size: int) -> SizeResult | None:
    return next((r for r in results if r.size == size), None)


def worst_p99_ms(result: SizeResult) -> float:
    return max(percentile_ms(t.seconds, 0.99) for t in (result.index, result.vague))


def size_target(
    results: Sequence[SizeResult],
    size: int,
    name: str,
    goal: str,
    measure: Callable[[SizeResult], tuple[str, bool]],
) -> Target:
    result = by_size(results, size)
    if result is None:
        return Target(name, goal, "not run", None)
    measured, passed = measure(result)
    return Target(name, goal, measured, passed)


def p50_target(results: Sequence[SizeResult], size: int, limit_ms: float) -> Target:
    return size_target(
        results,
        size,
        f"rank p50 at {size:,} entries",
        f"<= {limit_ms:g} ms",
        lambda r: (f"{p50_ms(r.index):.3f} ms", p50_ms(r.index) <= limit_ms),
    )


def targets(results: Sequence[SizeResult], article: ArticleResult) -> list[Target]:
    found = [p50_target(results, size, limit) for size, limit in P50_TARGETS_MS.items()]
    found.append(
        size_target(
            results,
            P99_TARGET_SIZE,
            f"rank p99 at {P99_TARGET_SIZE:,} entries, every query set (vague too)",
            f"<= {P99_TARGET_MS:g} ms",
            lambda r: (f"{worst_p99_ms(r):.3f} ms", worst_p99_ms(r) <= P99_TARGET_MS),
        )
    )
    found.append(
        size_target(
            results,
            SPEEDUP_TARGET_SIZE,
            f"speed-up over extractOne at {SPEEDUP_TARGET_SIZE:,}",
            f">= {SPEEDUP_TARGET:g}x",
            lambda r: (f"{speedup(r):.1f}x", speedup(r) >= SPEEDUP_TARGET),
        )
    )
    found.append(
        size_target(
            results,
            BUILD_TARGET_SIZE,
            f"rank p50 and top-1 against bm25s at {BUILD_TARGET_SIZE:,} entries",
            "as fast, top-1 as high or higher",
            faster_than_bm25s,
        )
    )
    found.append(
        size_target(
            results,
            BUILD_TARGET_SIZE,
            f"index build at {BUILD_TARGET_SIZE:,} entries",
            f"<= {BUILD_TARGET_S:g} s",
            lambda r: (f"{r.build_s:.2f} s", r.build_s <= BUILD_TARGET_S),
        )
    )
    found.append(
        size_target(
            results,
            BUILD_TARGET_SIZE,
            f"resident memory kept by the index at {BUILD_TARGET_SIZE:,} entries",
            f"<= {RSS_TARGET_MIB:g} MiB",
            lambda r: (
                f"{mib(r.rss_kept_bytes)} MiB",
                r.rss_kept_bytes is not None and r.rss_kept_bytes <= RSS_TARGET_MIB * MIB,
            ),
        )
    )
    found += [
        Target(
            "cold start of `ask`",
            f"<= {COLD_START_TARGET_S:g} s",
            f"{article.cold_start_s:.3f} s",
            article.cold_start_s <= COLD_START_TARGET_S,
        ),
        Target(
            "reload of the real knowledge",
            f"<= {RELOAD_TARGET_MS:g} ms",
            f"{article.reload_ms:.1f} ms",
            article.reload_ms <= RELOAD_TARGET_MS,
        ),
        Target(
            f"reload with {LARGE_RELOAD_ENTRIES:,} more entries in other files",
            f"<= {LARGE_RELOAD_TARGET_MS:g} ms",
            f"{article.large_reload_ms:.1f} ms",
            article.large_reload_ms <= LARGE_RELOAD_TARGET_MS
            if article.large_reload_entries == LARGE_RELOAD_ENTRIES
            else None,
        ),
        Target(
            "slowest message made to be slow to read",
            f"<= {HARD_MESSAGE_TARGET_MS:g} ms",
            f"{article.hard_message_ms:.1f} ms",
            article.hard_message_ms <= HARD_MESSAGE_TARGET_MS,
        ),
        Target(
            "`ask` imports no discord / slack",
            "none",
            ", ".join(article.forbidden_imports) or "none",
            not article.forbidden_imports,
        ),
    ]
    return found


def status(target: Target) -> str:
    return "SKIP" if target.passed is None else "PASS" if target.passed else "FAIL"


def target_table(found: Sequence[Target]) -> list[str]:
    lines = ["| target | goal | measured | result |", "|---|---|---:|---|"]
    lines += [f"| {t.name} | {t.goal} | {t.measured} | {status(t)} |" for t in found]
    return lines


def render_report(
    results: Sequence[SizeResult],
    article: ArticleResult,
    found: Sequence[Target],
    plan: RunPlan,
    reference_s: float,
) -> str:
    mode = "quick smoke run" if plan.quick else "full run"
    notes = [
        f"{mode}; seed {SEED}; Python {sys.version.split()[0]}; times are wall clock.",
        f"Machine reference: {reference_s:.3f} s for a fixed pure-Python workload (splitting "
        "and counting words); the timings below scale roughly with it from day to day.",
        "Memory: tracemalloc over a separate build: peak while building and retained after "
        "it, both above the level before it (the documents themselves are not counted).",
        "Queries: perturbed phrasings (a dropped word, a typo or shuffled words) plus "
        f"{UNRELATED_SHARE:.0%} unrelated ones; top-1 counts only the perturbed, (n) of them. "
        "Vague queries: a question word and 1-3 of the most frequent words, timed apart.",
        "extractOne: token_set_ratio over all phrasings of all entries, timed on the first "
        "queries only (its column says how many); the speed-up compares p50s over those same "
        "queries.",
        "bm25s (when installed: `pip install bm25s`): the same entries' phrasings and answer "
        "as one text each, English stop words out, Snowball-stemmed; the same queries, one "
        "at a time as a chat bot gets them, on one thread.",
    ]
    sections = [
        [REPORT_HEADER, "", *notes],
        size_table(results),
        bm25s_table(results),
        article_table(article, plan),
        target_table(found),
    ]
    return "\n\n".join("\n".join(section) for section in sections)


# --- command line --------------------------------------------------------------------------


def parse_sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes like 1000,10000, got {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"sizes must be positive, got {text!r}")
    return sizes


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=None,
        metavar="N,N",
        help="knowledge sizes in entries (default 1000,10000,100000)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run of a few seconds: 1000 entries, few queries",
    )
    parser.add_argument(
        "--large",
        action="store_true",
        help=f"also {LARGE_SIZE:,} entries (several minutes and a few GiB of memory)",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when any target fails")
    return parser.parse_args(argv)


def plan_of(args: argparse.Namespace) -> RunPlan:
    if args.quick:
        return RunPlan(
            args.sizes or QUICK_SIZES,
            QUICK_QUERIES_PER_SIZE,
            True,
            QUICK_COLD_START_RUNS,
            QUICK_RELOAD_RUNS,
            QUICK_VAGUE_QUERIES_PER_SIZE,
        )
    sizes = args.sizes or DEFAULT_SIZES
    if args.large and LARGE_SIZE not in sizes:
        sizes = (*sizes, LARGE_SIZE)
    return RunPlan(
        sizes,
        QUERIES_PER_SIZE,
        False,
        COLD_START_RUNS,
        RELOAD_RUNS,
        VAGUE_QUERIES_PER_SIZE,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    plan = plan_of(args)
    reference_s = machine_reference()
    vocabulary = build_vocabulary(random.Random(SEED))
    results = [bench_size(size, vocabulary, plan) for size in plan.sizes]
    article = bench_article(plan, vocabulary)
    found = targets(results, article)
    print(render_report(results, article, found, plan, reference_s))
    failed = any(t.passed is False for t in found)
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
