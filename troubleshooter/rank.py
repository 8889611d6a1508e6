"""Ranking: template alignments plus weighted term evidence, per section, with a confidence rule.

For a paste, every template that shares a rare term with it is a candidate; the heaviest candidates are
aligned (:func:`troubleshooter.templates.align`). A section scores the best alignment of its error texts,
discounted by how little of the template the paste covers and by how much unrelated text sits inside the
aligned stretch, plus a smaller BM25 term score over its title, symptom, errors and cause (pastes that
describe a symptom rather than quote a message).

Confidence asks whether the best section's documented message is really in the paste: enough distinctive
evidence (about three rare words, or one error code), and either most of the template repeated or the
paste being mostly that template (a partial paste).
"""

from __future__ import annotations

import json
import re
from typing import Any

from troubleshooter.model import INDEX_FORMAT, INDEX_VERSION, Answer, Evidence, IndexFormatError, Match, Section
from troubleshooter.normalize import normalize
from troubleshooter.templates import Alignment, Query, Template, align, compile_template
from troubleshooter.terms import Weights, informative, tokenize

#: Templates aligned per paste (the ones with most shared term weight).
CANDIDATES = 48
#: Share of a template's score kept when it fits neither the message nor the paste.
FIT_FLOOR = 0.2
#: Weight of the BM25 term score next to the template score.
TERM_SHARE = 0.3
BM25_K1 = 1.2
BM25_B = 0.6
#: Confidence: least template evidence (sum of term weights), and the coverage that makes it a match.
MIN_EVIDENCE = 9.0
MIN_TEMPLATE_COVERAGE = 0.6
MIN_PASTE_COVERAGE = 0.6
#: Lines shorter than this many informative terms are not templates on their own (unless they hold a code).
MIN_LINE_TERMS = 2
MAX_TEMPLATE_CHARS = 2000


#: A column-header line of CLI output (``NAME   READY   STATUS``): two or more spaces between capitalised words.
_HEADER_FIELD = re.compile(r"[A-Z][A-Za-z]*(?: [A-Z][A-Za-z]*)?")


def _is_header(line: str) -> bool:
    fields = re.split(r"\s{2,}|\t", line.strip())
    return len(fields) >= 3 and all(_HEADER_FIELD.fullmatch(f) for f in fields)


def _template_texts(error: str) -> list[str]:
    """An error block as templates: each message line, and the whole block when it has several lines.

    Column headers of CLI output are left out: they are the same in every listing, not an error.
    """
    lines = [line.strip() for line in error.splitlines() if line.strip() and not _is_header(line)]
    texts = []
    for line in lines:
        tokens = tokenize(line)
        if any(t.code for t in tokens) or sum(1 for t in tokens if informative(t.term)) >= MIN_LINE_TERMS:
            texts.append(line[:MAX_TEMPLATE_CHARS])
    if len(lines) > 1:
        texts.append("\n".join(lines)[:MAX_TEMPLATE_CHARS])
    return texts


class Matcher:
    """Matches pastes against the sections of one index. Build it with :meth:`from_json`."""

    def __init__(self, sections: list[Section]) -> None:
        self.sections = sections
        field_terms: list[list[str]] = []
        codes: set[str] = set()
        for section in sections:
            text = " ".join((section.title, section.title, section.symptom, *section.errors, section.cause))
            tokens = tokenize(text + " " + section.body)
            codes.update(t.term for t in tokens if t.code)
            field_terms.append([t.term for t in tokens if informative(t.term)])
        self.weights = Weights([set(terms) for terms in field_terms], codes)
        # BM25 postings over the section texts.
        self.postings: dict[str, list[tuple[int, int]]] = {}
        self.lengths = [len(terms) for terms in field_terms]
        self.average_length = max(1.0, sum(self.lengths) / max(1, len(self.lengths)))
        for index, terms in enumerate(field_terms):
            counts: dict[str, int] = {}
            for term in terms:
                counts[term] = counts.get(term, 0) + 1
            for term, count in counts.items():
                self.postings.setdefault(term, []).append((index, count))
        self.templates: list[Template] = []
        self.template_postings: dict[str, list[int]] = {}
        for index, section in enumerate(sections):
            for error in section.errors:
                for text in _template_texts(error):
                    template = compile_template(index, text, self.weights)
                    if template.total <= 0:
                        continue
                    number = len(self.templates)
                    self.templates.append(template)
                    for term in template.literal_terms:
                        self.template_postings.setdefault(term, []).append(number)

    @classmethod
    def from_json(cls, text: str) -> Matcher:
        """Load an index written by ``troubledocs index`` (or a site build)."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise IndexFormatError(f"the index is not JSON: {error}") from error
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Any) -> Matcher:
        """Load an already parsed index document."""
        if not isinstance(data, dict) or data.get("format") != INDEX_FORMAT:
            raise IndexFormatError(f"not a {INDEX_FORMAT} document")
        if data.get("version") != INDEX_VERSION:
            raise IndexFormatError(f"index version {data.get('version')!r}; this matcher reads {INDEX_VERSION}")
        entries = data.get("entries")
        if not isinstance(entries, list):
            raise IndexFormatError("the index has no entries list")
        return cls([Section.from_json(e) for e in entries])

    def match(self, query: str, top: int = 5) -> Answer:
        """Rank the sections for a paste. Never raises on any string."""
        normalized = normalize(query)
        paste = Query.of(normalized.text)
        weight = self.weights
        terms = {term: weight(term) for term in paste.positions if term in self.postings}
        terms = {term: w for term, w in terms.items() if w > 0}
        if not terms:
            return Answer([], False, normalized.notice)
        paste_weight = sum(terms.values())

        bound: dict[int, float] = {}
        for term, w in terms.items():
            for number in self.template_postings.get(term, ()):
                bound[number] = bound.get(number, 0.0) + w
        candidates = sorted(bound, key=bound.__getitem__, reverse=True)[:CANDIDATES]

        prefix = [0.0]
        for token in paste.tokens:
            prefix.append(prefix[-1] + terms.get(token.term, 0.0))

        best: dict[int, tuple[float, Alignment]] = {}
        for number in candidates:
            alignment = align(self.templates[number], paste)
            if alignment is None:
                continue
            first, last = alignment.query_span()
            inside = prefix[last + 1] - prefix[first]
            density = min(1.0, alignment.matched / inside) if inside > 0 else 0.0
            # How much of the message the paste repeats, or of the paste the message explains (partial pastes).
            fit = max(alignment.coverage, alignment.matched / paste_weight)
            score = alignment.matched * (FIT_FLOOR + (1 - FIT_FLOOR) * fit) * (0.5 + 0.5 * density)
            entry = alignment.template.entry
            if entry not in best or score > best[entry][0]:
                best[entry] = (score, alignment)

        term_scores = self._bm25(terms)
        totals: dict[int, float] = {e: s for e, (s, _) in best.items()}
        for entry, score in term_scores.items():
            totals[entry] = totals.get(entry, 0.0) + TERM_SHARE * score
        ranked = sorted(totals, key=lambda e: (-totals[e], e))[: max(0, top)]

        matches = []
        for entry in ranked:
            section = self.sections[entry]
            found = best.get(entry)
            if found is not None:
                alignment = found[1]
                evidence = Evidence(alignment.template.text, alignment.evidence_spans())
                captures = alignment.captures(paste)
            else:
                evidence = self._term_evidence(section, terms)
                captures = {}
            matches.append(Match(section, totals[entry], captures, evidence))

        confident = False
        if ranked and ranked[0] in best:
            alignment = best[ranked[0]][1]
            covered = alignment.coverage >= MIN_TEMPLATE_COVERAGE
            fragment = alignment.matched / paste_weight >= MIN_PASTE_COVERAGE
            strong = alignment.matched >= MIN_EVIDENCE or (
                bool(alignment.template.codes) and alignment.coverage >= MIN_TEMPLATE_COVERAGE
            )
            confident = strong and (covered or fragment)
        return Answer(matches, confident, normalized.notice)

    def _bm25(self, terms: dict[str, float]) -> dict[int, float]:
        scores: dict[int, float] = {}
        lengths, average = self.lengths, self.average_length
        for term, w in terms.items():
            for entry, count in self.postings.get(term, ()):
                norm = count * (BM25_K1 + 1) / (count + BM25_K1 * (1 - BM25_B + BM25_B * lengths[entry] / average))
                scores[entry] = scores.get(entry, 0.0) + w * norm
        return scores

    def _term_evidence(self, section: Section, terms: dict[str, float]) -> Evidence:
        text = section.symptom or section.title
        spans: list[list[int]] = []
        for token in tokenize(text):
            if token.term in terms:
                if spans and not text[spans[-1][1] : token.start].strip():
                    spans[-1][1] = token.end
                else:
                    spans.append([token.start, token.end])
        return Evidence(text, spans)

