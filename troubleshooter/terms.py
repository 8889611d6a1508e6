"""Tokens and term weights: how text turns into comparable terms.

Both the docs' error texts and the pasted query go through :func:`tokenize`, so an error text and its paste
agree on token boundaries whatever the punctuation and line wraps. Identifier-like tokens (numbers, hex,
UUID parts, long letter/digit mixes) become the class term ``ID_TERM``: they never count as evidence and act
as placeholders in templates. Error codes (``NHC004``, ``ERRADNF``, ``CAE009``) keep their identity and
weigh more than words.
"""

from __future__ import annotations

from dataclasses import dataclass
import math
import re

ID_TERM = "#id"
#: A UUID or an IPv4 address is one identifier token; everything else is a run of letters and digits.
_TOKEN = re.compile(
    r"(?P<id>[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}|(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]))"
    r"|[A-Za-z0-9]+"
)
_CODE = re.compile(r"(?:ERR|ESS)[A-Z]{2,}|[A-Z]{2,}[0-9]{2,}[A-Z]?")
_NOT_CODES = frozenset({"ERROR", "ERRORS"})
_RUN_OF_X = re.compile(r"x{4,}|X{4,}")
#: Words so common in error output that they carry no evidence on their own.
STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the this to was were with "
    "you your".split()
)
CODE_BOOST = 3.0


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its term, where it sits in the text, and whether it is an error code."""

    term: str
    start: int
    end: int
    code: bool = False


def term_of(raw: str) -> tuple[str, bool]:
    """The term for one raw token and whether it is an error code."""
    if _CODE.fullmatch(raw) and raw not in _NOT_CODES:
        return raw.lower(), True
    if raw.isdigit():
        # Three-digit numbers are status codes and errnos (403, 503, 110); others are counts and ids.
        return (raw if len(raw) == 3 else ID_TERM), False
    if raw[0].isdigit() or (len(raw) >= 5 and any(c.isdigit() for c in raw)):
        return ID_TERM, False
    if _RUN_OF_X.fullmatch(raw):
        return ID_TERM, False
    return raw.lower(), False


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` in order (linear time: one pass of a simple character-class regex)."""
    out: list[Token] = []
    for match in _TOKEN.finditer(text):
        term, code = (ID_TERM, False) if match.group("id") else term_of(match.group())
        out.append(Token(term, match.start(), match.end(), code))
    return out


def informative(term: str) -> bool:
    """Whether a term can be evidence at all (not an identifier class, not a stop word)."""
    return term != ID_TERM and term not in STOPWORDS


class Weights:
    """Inverse document frequency over the index's entries; codes weigh ``CODE_BOOST`` times more."""

    def __init__(self, document_terms: list[set[str]], codes: set[str]) -> None:
        self.documents = max(1, len(document_terms))
        df: dict[str, int] = {}
        for terms in document_terms:
            for term in terms:
                df[term] = df.get(term, 0) + 1
        self.df = df
        self.codes = codes
        self._cache: dict[str, float] = {}

    def __call__(self, term: str) -> float:
        cached = self._cache.get(term)
        if cached is not None:
            return cached
        if not informative(term):
            weight = 0.0
        else:
            df = self.df.get(term, 0)
            weight = math.log(1.0 + self.documents / (df + 0.5))
            if term in self.codes:
                weight *= CODE_BOOST
        self._cache[term] = weight
        return weight
