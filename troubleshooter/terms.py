"""Tokens and term weights: how text turns into comparable terms.

Both the docs' error texts and the pasted query go through :func:`tokenize`, so an error text and its paste
agree on token boundaries whatever the punctuation and line wraps. Identifier-like tokens (numbers, hex,
UUID parts, long letter/digit mixes) become the class term ``ID_TERM``: they never count as evidence and act
as placeholders in templates. Error codes (``NHC004``, ``ERRADNF``, ``CAE009``, and the number of a numbered
error: ``Error 1016``, ``Error 522``, ``error #1016``, ``Errors 1006, 1007 or 1106``, ``SQLSTATE=42704``) keep
their identity and weigh more than words: the context says the number is a code, not a count, a port, a year or
an id, in the docs and in a paste alike. A camel-case identifier becomes its words (``OOMKilled`` → ``oom killed``,
``FailedDiscoveryCheck`` → ``failed discovery check``), as the docs' prose writes them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
import math
import re
from typing import NamedTuple

ID_TERM = "#id"
#: A UUID, an IPv4 address or a cloud region/zone (``us-south``, ``eu-de-2``) is one identifier token;
#: everything else is a run of letters and digits.
_TOKEN = re.compile(
    r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}|(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?!\w)"
    r"|(?<![\w-])(?:us|eu|jp|au|ca|br|in|kr|uk)-(?:south|east|west|north|de|gb|es|fr2|tok|osa|syd|tor|sao"
    r"|che|mad|par|mil)(?:-\d)?(?![\w-])"
    r"|[A-Za-z0-9]+"
)
#: Error codes: ``ERRADNF``, ``ESSVC``, ``NHC004``, ``CAE009``, ``BXNIM0430E``, ``E0057``.
_CODE = re.compile(r"(?:ERR|ESS)[A-Z]{2,}|[A-Z]{2,}[0-9]{2,}[A-Z]?|E[0-9]{4}")
_NOT_CODES = frozenset({"ERROR", "ERRORS"})
_RUN_OF_X = re.compile(r"x{4,}|X{4,}")
#: The number of a numbered error: three digits right after the word ``error`` (``Error 522``, ``error #522``; after
#: ``status`` or ``code`` they are an HTTP status that many tools print), or four and more after a word that names
#: a code (``Error code: 1016``, ``status=4030``, ``SQLSTATE=42704``) with only the separators of
#: ``_CODE_GAP`` between, or after another such number in a list (``Errors 1006, 1007 or 1106``); not a date or a
#: time (``error 2024-05-01``).
_STATUS_AFTER_ERROR = re.compile(r"[ \t]?#?")
_CODE_WORDS = frozenset({"error", "code", "status", "errno", "sqlstate", "sqlcode"})
_CODE_GAP = frozenset(" \t:#=,(")
_LIST_WORDS = frozenset({"or", "and"})
_DATE_OR_TIME = re.compile(r"[-/.]\d|:\d")
#: A source file's name and a colon right before a number (``client.go:394``): the number is a line.
_SOURCE_LINE = re.compile(r"\w\.(?:go|py|java|js|ts|rb|php|c|h|cc|cpp|rs|kt|scala|cs|swift|pl):$")
#: Words so common in error output that they carry no evidence on their own.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "with",
        "you",
        "your",
    ]
)
CODE_BOOST = 3.0


#: Words before ``n't`` and what they stand for.
_NEGATED = {
    "can": "can", "don": "do", "doesn": "does", "didn": "did", "isn": "is", "aren": "are", "wasn": "was",
    "weren": "were", "couldn": "could", "wouldn": "would", "shouldn": "should", "won": "will", "hasn": "has",
    "haven": "have", "hadn": "had", "mustn": "must",
}  # fmt: skip
_CACHE_LIMIT = 100_000
_cache: dict[str, tuple[str, bool]] = {}
_camel_cache: dict[str, list[tuple[int, str]]] = {}
#: The words of a camel-case identifier: a capitalised or lower-case word, or a run of capitals (an acronym).
_CAMEL_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")


class Token(NamedTuple):
    """One token: its term, where it sits in the text, and whether it is an error code."""

    term: str
    start: int
    end: int
    code: bool = False


def term_of(raw: str) -> tuple[str, bool]:
    """The term for one raw token and whether it is an error code (memoised: tokens repeat a lot)."""
    found = _cache.get(raw)
    if found is None:
        found = _classify(raw)
        if len(_cache) < _CACHE_LIMIT:
            _cache[raw] = found
    return found


def is_code(raw: str) -> bool:
    """Whether one raw token (case kept) is an error code."""
    return bool(_CODE.fullmatch(raw)) and raw not in _NOT_CODES


def codes_in(text: str) -> list[str]:
    """The error codes of ``text``, in order of first appearance."""
    return list(dict.fromkeys(raw for raw in _TOKEN.findall(text) if is_code(raw)))


def _classify(raw: str) -> tuple[str, bool]:
    if "-" in raw or "." in raw:
        return ID_TERM, False  # a UUID, an IP address or a region (the only tokens with punctuation)
    if is_code(raw):
        return raw.lower(), True
    if raw.isdigit():
        # Three-digit numbers are status codes and errnos (403, 503, 110); others are counts and ids.
        return (raw if len(raw) == 3 else ID_TERM), False
    if raw[0].isdigit() or (len(raw) >= 5 and any(c.isdigit() for c in raw)):
        return ID_TERM, False
    if _RUN_OF_X.fullmatch(raw):
        return ID_TERM, False
    return singular(raw.lower()), False


def singular(word: str) -> str:
    """A plural's singular (``volumes`` → ``volume``, ``lookups`` → ``lookup``): the docs say ``pods`` where
    a tool prints ``pod``. Only a plain ``-s`` goes (``-ies`` becomes ``-y``); ``-ss``, ``-us``, ``-is`` words
    keep theirs."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word[-1] == "s" and word[-2] not in "siu'":
        return word[:-1]
    return word


def stem(term: str) -> str:
    """A term without its verb ending, for comparing a report's words with a title's (``provisioning``,
    ``provisioned`` → ``provision``; ``verified`` → ``verify``; ``creating`` → ``creat``, as ``create``):
    people describe a state in other forms of the docs' words. Light on purpose: a few endings, never below
    four letters."""
    if len(term) > 5 and term.endswith("ied"):
        return term[:-3] + "y"
    for ending in ("ing", "ed"):
        if term.endswith(ending) and len(term) - len(ending) >= 4:
            term = term[: -len(ending)]
            if term[-1] == term[-2] and term[-1] not in "lsz":
                term = term[:-1]  # "stopped", "running": the consonant doubled before the ending
            return term
    return term[:-1] if len(term) > 4 and term.endswith("e") else term


def _camel_parts(raw: str) -> list[tuple[int, str]]:
    """The words of a camel-case token (``OOMKilled`` → ``OOM``, ``Killed``) with their offsets, or ``[]``."""
    found = _camel_cache.get(raw)
    if found is None:
        found = []
        if raw.isalpha() and not (raw.islower() or raw.isupper() or raw.istitle()):
            found = [(part.start(), part.group()) for part in _CAMEL_PART.finditer(raw)]
        if len(_camel_cache) < _CACHE_LIMIT:
            _camel_cache[raw] = found
    return found


def _numbered_error(text: str, start: int, end: int, out: list[Token]) -> bool:
    """Whether the number ``text[start:end]`` names an error (see ``_STATUS_AFTER_ERROR``)."""
    if end - start < 3 or not text[start:end].isdigit() or _DATE_OR_TIME.match(text, end):
        return False
    previous = out[-1]
    if end - start == 3:
        found = _STATUS_AFTER_ERROR.match(text, previous.end)
        return previous.term == "error" and found is not None and found.end() == start
    if previous.term in _LIST_WORDS and len(out) > 1:
        previous = out[-2]
    if not (previous.term in _CODE_WORDS or (previous.code and previous.term.isdigit())):
        return False
    return all(c in _CODE_GAP for c in text[out[-1].end : start])


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` in order (linear time: one pass of a simple character-class regex)."""
    out: list[Token] = []
    for match in _TOKEN.finditer(text):
        term, code = term_of(match.group())
        start, end = match.start(), match.end()
        parts = [] if code else _camel_parts(match.group())
        if len(parts) > 1:
            # An identifier written in camel case stands for its words ("OOMKilled" is "OOM Killed").
            out.extend(
                Token(singular(part.lower()), start + at, start + at + len(part)) for at, part in parts
            )
            continue
        if term == "t" and out and start > 0 and text[start - 1] in "'’" and out[-1].term in _NEGATED:
            # "can't", "doesn't": the same terms as "can not", "does not".
            out[-1] = out[-1]._replace(term=singular(_NEGATED[out[-1].term]))
            term = "not"
        elif term == "cannot":
            out.append(Token("can", start, start + 3))
            start, term = start + 3, "not"
        elif term in (ID_TERM, match.group()) and out and _numbered_error(text, start, end, out):
            # "Error 1016", "ERROR 1045", "Error 522": the number names the error, as a code does.
            term, code = match.group(), True
        elif len(term) == 3 and term.isdigit() and _SOURCE_LINE.search(text, max(0, start - 8), start):
            term = ID_TERM  # "client.go:394", "Message.php:503": a line of a source file, not a status
        out.append(Token(term, start, end, code))
    return out


def terms(text: str) -> list[tuple[str, bool]]:
    """The ``(term, is_code)`` pairs of ``text`` without positions, for counting. A camel-case identifier
    also counts as its one lower-case word (``WebSocket`` as ``websocket``), as people often write it."""
    found = [(token.term, token.code) for token in tokenize(text)]
    found.extend(
        (singular(raw.lower()), False)
        for raw in _TOKEN.findall(text)
        if len(_camel_parts(raw)) > 1 and not is_code(raw)
    )
    return found


def informative(term: str) -> bool:
    """Whether a term can be evidence at all (not an identifier class, not a stop word)."""
    return term != ID_TERM and term not in STOPWORDS


class Weights:
    """Inverse document frequency over the index's entries; codes weigh ``CODE_BOOST`` times more."""

    def __init__(self, documents: int, df: Callable[[str], int], codes: Collection[str]) -> None:
        self.documents = max(1, documents)
        self.df = df
        self.codes = codes
        self._cache: dict[str, float] = {}

    @classmethod
    def counted(cls, document_terms: list[set[str]], codes: Collection[str]) -> Weights:
        """Weights for documents given as their sets of terms."""
        df: dict[str, int] = {}
        for found in document_terms:
            for term in found:
                df[term] = df.get(term, 0) + 1
        return cls(len(document_terms), lambda term: df.get(term, 0), codes)

    @property
    def rare(self) -> float:
        """The weight of a word found in one section only: the unit of evidence."""
        return math.log(1.0 + self.documents / 1.5)

    def __call__(self, term: str) -> float:
        cached = self._cache.get(term)
        if cached is not None:
            return cached
        if not informative(term):
            weight = 0.0
        else:
            df = self.df(term)
            weight = math.log(1.0 + self.documents / (df + 0.5))
            if term in self.codes:
                weight *= CODE_BOOST
        self._cache[term] = weight
        return weight


#: Shortest part of a compound word that :func:`compound_parts` splits off, and the longest word it tries
#: (a longer run of letters is no glued name, and trying every cut of it would cost its length squared).
COMPOUND_PART = 3
COMPOUND_WORD = 40


def compound_parts(term: str, known: Callable[[str], bool]) -> tuple[str, str] | None:
    """Two ``known`` words that ``term``, itself unknown, is glued from (``etcdserver`` → ``etcd``, ``server``):
    programs name things by gluing words the docs write apart. The longest known first part wins."""
    if not term.isalpha() or not 2 * COMPOUND_PART <= len(term) <= COMPOUND_WORD or known(term):
        return None
    for cut in range(len(term) - COMPOUND_PART, COMPOUND_PART - 1, -1):
        head, tail = term[:cut], term[cut:]
        if informative(head) and informative(tail) and known(head) and known(tail):
            return head, tail
    return None
