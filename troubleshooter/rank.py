"""Ranking: template alignments plus weighted term evidence, per section, with a confidence rule.

For a paste, every template that shares a term with it is a candidate; the ones with the most shared weight
are aligned (:func:`troubleshooter.templates.align`). An alignment scores its matched weight, less half the
weight of the template words it skips inside the matched stretch (the paste says something else there),
scaled by its *fit* (the larger of: the share of the template repeated, the share of the paste explained,
so that partial pastes count) and by its density (unrelated words inside the matched stretch of the paste).
A section takes its best alignment, half of a second one elsewhere in the paste, and a smaller BM25 score
over its whole text, resolution included (for pastes that describe a symptom rather than quote it, or show
log lines that only the fix's steps mention). Of two sections that explain the same part of a paste,
the one whose message adds more words the paste replaces by others than words it repeats (a full example of
a specific case: a product's volume, a firewall's timeout) ranks below its general sibling; of two that differ
where the paste says the words of one, the other ranks below it. A paste in which no documented message is
surely found is read by the words of the titles and symptoms, as a report in prose is. Term weights as evidence
(templates, confidence) count only the text that describes a problem, so a word that a fix elsewhere mentions
stays the mark of its own message.

Confidence asks whether the top section's documented message is really in the paste (see
:meth:`Matcher._confidence`). Identifier-like tokens never count as evidence (:mod:`troubleshooter.terms`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from itertools import pairwise
import json
import math
import re
from typing import Any

from troubleshooter.model import (
    INDEX_FORMAT,
    INDEX_VERSION,
    Answer,
    Evidence,
    IndexFormatError,
    Match,
    Section,
)
from troubleshooter.normalize import normalize
from troubleshooter.tables import Tables
from troubleshooter.templates import GAP_PENALTY, Alignment, Query, Template, align
from troubleshooter.terms import Token, informative, stem, terms, tokenize

#: Templates aligned per paste (the ones with most shared term weight).
CANDIDATES = 48
#: Share of a template's score kept when it fits neither the message nor the paste.
FIT_FLOOR = 0.2
#: Share of a section's second message (elsewhere in the paste) added to its best one.
SECOND_MESSAGE = 0.5
#: Weight of the BM25 term score next to the template score.
TERM_SHARE = 0.3
BM25_K1 = 1.2
BM25_B = 0.6
#: Distinct words of a documented message repeated whole, or of a phrase with a word no other section uses,
#: that make the message's evidence enough however common its words are (see ``Matcher._confidence``).
WHOLE_MESSAGE_WORDS = 4
PHRASE_WORDS = 3
#: Confidence: least template evidence, in rare words (one error code weighs three), the fit that makes it
#: a match, and the evidence times fit that is a match whatever the fit (see ``Matcher._confidence``).
MIN_EVIDENCE = 1.7
#: The evidence unit is the weight of a word of one section in an index of at least this many sections: in a
#: small index (a product with a few troubleshooting sections) most words are used by one section, and two of
#: them (``permission denied``) would otherwise be as sure a mark of a message as two rare words of a big one.
EVIDENCE_SECTIONS = 50
#: The fit and the evidence times fit are calibrated on hard negatives (``bench/match.py --leave-out``: real pastes
#: ranked without the sections they are labelled with): with 0.6 and 4, the answers they let through between
#: confidence 0.5 and 0.6 were wrong about as often as right.
MIN_FIT = 0.7
STRONG_EVIDENCE = 5.0
CONFIDENT = 0.5
#: Sibling sections: among the first ``SIBLINGS``, those within ``SIBLING_GAP`` of the best score. Each
#: distinctive word said (a rare word counting one) moves a sibling by ``SIBLING_SHARE`` / 4 of the best score;
#: each distinctive title word unsaid by ``UNSAID_SHARE`` of that.
#: Sections whose title and symptom words are read, and the weight of each word found there.
TITLES_READ = 30
TITLE_SHARE = 0.1
#: A runner-up within this share of the best score caps the confidence (below ``CONFIDENT`` when < 0.5).
RUNNER_UP_GAP = 0.06
RUNNER_UP_CONFIDENCE = 0.45
#: A runner-up (of any page) within this share of the best score caps the confidence when the top section's
#: message is only partly in the paste: part of a message that another section scores about as well on is no
#: sure mark of either (measured with the expected sections left out of the index: such answers were wrong).
PARTIAL_RUNNER_UP_GAP = 0.15
#: A word used by at most this share of the sections tells a message apart (see ``_has_telling_word``).
TELLING_SHARE = 0.05
TELLING_FLOOR = 2.0
LONG_MESSAGE_WORDS = 6
SIBLINGS = 5
#: A message's other part (head or detail) counts as unsaid when the paste repeats at most this share of it.
DETAIL_SAID = 0.25
SIBLING_GAP = 0.25
#: The same message documented by a section of another page within this share of the top score is no sure
#: mark of the top one (see ``Matcher._documented_elsewhere``), unless that section is a catalogue: it documents
#: at least ``CATALOGUE_MESSAGES`` messages and ``CATALOGUE_SHARE`` times as many as the top one.
SHARED_GAP = 0.3
CATALOGUE_MESSAGES = 10
CATALOGUE_SHARE = 2
SIBLING_SHARE = 0.2
UNSAID_SHARE = 0.5


_MACHINE_OUTPUT = ':="/{}[]<>|\\'
PROSE_WORDS = 3
#: Words per character of tool punctuation that a report in prose has at least: a sentence may quote one
#: (``the error message says: 403 forbidden``), output has one every few words.
PROSE_WORDS_PER_MARK = 12
#: Characters of a paste read to tell prose: its beginning shows what it is, at a bounded cost.
PROSE_SAMPLE = 4_000


def is_prose(text: str) -> bool:
    """Whether a paste is a description in words (``the websocket closes after a minute``), not output: a
    few words and little of the punctuation that tools print (``Error: …``, ``key=value``, quoted names)."""
    sample = text[:PROSE_SAMPLE]
    words = len(sample.split())
    marks = sum(map(sample.count, _MACHINE_OUTPUT))
    return words >= PROSE_WORDS and words >= PROSE_WORDS_PER_MARK * marks


_NOT_BLANK = re.compile(r"\S")
#: A number as a documented message shows a count or an age (``3``, ``65s``, ``24m``).
_NUMBER = re.compile(r"\d+[a-z]{0,2}")


def _rest_of_line(alignment: Alignment, paste: Query) -> tuple[list[Token], list[Token]]:
    """The paste's tokens on the same line before the matched stretch (at most 64), and after it. A message's
    head and its detail may sit on two lines, the head's ending with a colon (the docs' templates join them
    so, :func:`troubleshooter.tables.template_texts`): a stretch that ends its line at such a colon goes on
    with the next line, and one that starts its line, after a line that ends with a colon, with that line."""
    first, last = alignment.query_span()
    tokens, text = paste.tokens, paste.text
    line_start = text.rfind("\n", 0, tokens[first].start) + 1
    if not text[line_start : tokens[first].start].strip():
        head = line_start
        while head > 0 and text[head - 1].isspace():
            head -= 1
        if head > 0 and text[head - 1] == ":":
            line_start = text.rfind("\n", 0, head) + 1
    line_end = _line_end(text, tokens[last].end)
    if text[tokens[last].end : line_end].strip() == ":":
        detail = _NOT_BLANK.search(text, line_end)
        line_end = _line_end(text, detail.start()) if detail is not None else line_end
    after = [t for t in tokens[last + 1 :] if t.start < line_end] if last + 1 < len(tokens) else []
    before = [t for t in tokens[max(0, first - 64) : first] if t.start >= line_start]
    return before, after


def _line_end(text: str, start: int) -> int:
    """Where the line that holds ``start`` ends."""
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _code_unsaid(alignment: Alignment | None, paste: Query) -> bool:
    """Whether a matched message names its error by a code that the paste does not repeat."""
    return alignment is not None and bool(alignment.template.codes - paste.positions.keys())


def _one_word(alignment: Alignment) -> bool:
    """Whether an alignment repeats one word of its message as written (a camel-case identifier,
    ``OOMKilled``, is one), and no error code."""
    items = alignment.template.items
    matched = [i for i, _ in alignment.pairs if not items[i].soft]
    if not {items[i].term for i in matched}.isdisjoint(alignment.template.codes):
        return False
    return len(_written_words(alignment.template, matched)) <= 1


#: What a name glued to an identifier in a documented text is made of (``public-<hash>-alb1``, ``pvc:<id>``).
_GLUED_RUN = re.compile(r"""[^\s'"()\[\]{},;]+""")


def _said_in_names_only(alignment: Alignment) -> bool:
    """Whether, apart from the words of names glued to an identifier in the documented text (the pod
    ``public-cr24…-alb1-7f78…`` of a listing: its words are the reader's resource, not the message's wording),
    the paste repeats at most one word of the message as written and no error code (``Running``)."""
    template = alignment.template
    items = template.items
    named = [
        (run.start(), run.end())
        for run in _GLUED_RUN.finditer(template.text)
        if any(item.slot and run.start() <= item.start < run.end() for item in items)
    ]
    own = [
        i
        for i, _ in alignment.pairs
        if not items[i].soft and not any(start <= items[i].start < end for start, end in named)
    ]
    if not {items[i].term for i in own}.isdisjoint(template.codes):
        return False
    return len(_written_words(template, own)) <= 1


def _matched_terms(alignment: Alignment) -> set[str]:
    """The terms of a message that the paste repeats."""
    items = alignment.template.items
    return {items[i].term for i, _ in alignment.pairs}


def _written_words(template: Template, indexes: Iterable[int]) -> set[str]:
    """The words of a template, as written, that hold its items ``indexes``: a camel-case identifier
    (``ImagePullBackOff``) is one word, not the four terms it counts as."""
    text = template.text
    found = set()
    for index in indexes:
        start, end = template.items[index].start, template.items[index].end
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
        found.add(text[start:end].lower())
    return found


def _with_stems(said: Collection[str]) -> set[str]:
    """The paste's terms and their stems: a title's word counts as said in any of its forms."""
    return {*said, *map(stem, said)}


class Matcher:
    """Matches pastes against the sections of one index. Build it with :meth:`from_json`."""

    def __init__(self, sections: list[Section], tables: Tables | None = None) -> None:
        """``tables`` as the index stores them; computed from ``sections`` when not given (slower)."""
        self.sections = sections
        self.tables = tables if tables is not None else Tables.build(sections)
        self.weights = self.tables.weights
        self._problem: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        # A section's symptom (or title) tokens, for the evidence of a match without a message: tokenising a
        # long symptom anew for each paste cost more than ranking.
        self._shown: dict[int, list[Token]] = {}
        # A word of one section is a weaker mark of a message in a small index than in a big one.
        self._evidence_unit = max(self.weights.rare, math.log(1.0 + EVIDENCE_SECTIONS / 1.5))
        self._messages: dict[int, int] = {}
        for entry, _ in self.tables.template_sources:
            self._messages[entry] = self._messages.get(entry, 0) + 1

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
            raise IndexFormatError(
                f"index version {data.get('version')!r}; this matcher reads version {INDEX_VERSION}: "
                "write the index again with the same troubledocs (`troubledocs index` or a site build)"
            )
        entries = data.get("entries")
        if not isinstance(entries, list):
            raise IndexFormatError("the index has no entries list")
        tables = data.get("tables")
        return cls(
            [Section.from_json(e) for e in entries],
            None if tables is None else Tables.from_json(tables, len(entries)),
        )

    @property
    def products(self) -> list[str]:
        """The products of the index's sections, in index order (none for an index of one repository)."""
        return list(dict.fromkeys(section.product for section in self.sections if section.product))

    def match(self, query: str, top: int = 5, product: str | None = None) -> Answer:
        """Rank the sections (of ``product`` only, when given) for a paste. Never raises on any string."""
        normalized = normalize(query, self.tables.generic_lines)
        paste = Query.of(normalized.text)
        weight = self.weights
        postings = self.tables.postings
        resolution, text_weight = self.tables.resolution_postings, self.tables.text_weights
        paste.split_compounds(lambda term: term in postings or term in resolution)
        terms = {t: w for t in paste.positions if t in postings and (w := weight(t)) > 0}
        # The BM25 score also reads the resolution: its own terms and weights (never evidence of a message).
        text_terms = {
            t: w for t in paste.positions if (t in postings or t in resolution) and (w := text_weight(t)) > 0
        }
        if not text_terms:
            return Answer([], False, normalized.notice)
        paste_weight = sum(terms.values())

        prose = is_prose(normalized.text)
        best, totals = self._template_scores(paste, terms, paste_weight, prose)
        for entry, score in self._bm25(text_terms).items():
            totals[entry] = totals.get(entry, 0.0) + TERM_SHARE * score
        if product:
            totals = {e: score for e, score in totals.items() if self.sections[e].product == product}
        if prose or not any(self._confidence(a, paste_weight) >= CONFIDENT for a in best.values()):
            # A paste in which no documented message is surely found (a status listing, a report, a message
            # that shares two common words with one) says its problem in the words of a title or symptom, as
            # prose does.
            self._read_titles(totals, paste.positions.keys())
        self._tell_siblings_apart(totals, paste.positions.keys())
        self._prefer_the_general_sibling(totals, best, paste)
        self._prefer_the_sibling_the_paste_says(totals, best, paste)
        ranked = sorted(totals, key=lambda e: (-totals[e], e))[: max(0, top)]

        matches = []
        for entry in ranked:
            section = self.sections[entry]
            alignment = best.get(entry)
            if alignment is not None:
                evidence = Evidence(alignment.template.text, alignment.evidence_spans())
                captures = alignment.captures(paste)
            else:
                evidence, captures = self._term_evidence(entry, terms), {}
            matches.append(Match(section, totals[entry], captures, evidence))
        confidence = 0.0
        if ranked and ranked[0] in best:
            confidence = self._confidence(best[ranked[0]], paste_weight)
            if (
                self._diverges(best[ranked[0]], paste)
                or _said_in_names_only(best[ranked[0]])
                or self._words_for_a_number(best[ranked[0]], paste)
                or self._head_inside(best[ranked[0]], paste)
                or self._documented_elsewhere(ranked, totals, best)
            ):
                confidence = min(confidence, RUNNER_UP_CONFIDENCE)
        if (
            len(ranked) > 1
            and totals[ranked[1]] >= (1.0 - RUNNER_UP_GAP) * totals[ranked[0]]
            and (
                self.sections[ranked[1]].page != self.sections[ranked[0]].page
                or all(_code_unsaid(best.get(e), paste) for e in ranked[:2])
            )
        ):
            # A section of another page explains the paste about as well: the message does not tell which
            # topic it is (sections of one page that share a message are its general and specific parts,
            # unless each names its error by a code the paste does not say: Error 1018 and Error 1023).
            confidence = min(confidence, RUNNER_UP_CONFIDENCE)
        if (
            len(ranked) > 1
            and ranked[0] in best
            and best[ranked[0]].coverage < 1.0 - 1e-9
            and totals[ranked[1]] >= (1.0 - PARTIAL_RUNNER_UP_GAP) * totals[ranked[0]]
        ):
            confidence = min(confidence, RUNNER_UP_CONFIDENCE)
        return Answer(matches, confidence >= CONFIDENT, normalized.notice, confidence)

    def _template_scores(
        self, paste: Query, terms: dict[str, float], paste_weight: float, prose: bool
    ) -> tuple[dict[int, Alignment], dict[int, float]]:
        """Align the candidate templates; per section, its best alignment and its template score. A message
        that shares one word (not an error code) with the paste (a report in prose, a status line) is no
        message said: the word is evidence for the term score only, like the words that causes and fixes
        share with it; nor, in a report in prose, is a message whose shared words weigh less than one rare
        word (``Ingress subdomain``, a field of a CLI record): the reader's words meet the docs' anywhere."""
        bound: dict[int, float] = {}
        for term, w in terms.items():
            for number in self.tables.template_numbers(term):
                bound[number] = bound.get(number, 0.0) + w
        candidates = sorted(bound, key=bound.__getitem__, reverse=True)[:CANDIDATES]
        prefix = [0.0]
        for token in paste.tokens:
            prefix.append(prefix[-1] + terms.get(token.term, 0.0))

        found: dict[int, list[tuple[float, Alignment]]] = {}
        for number in candidates:
            alignment = align(self.tables.template(number), paste)
            if alignment is None or _one_word(alignment) or (prose and self._rare_words(alignment) < 1.0):
                continue
            first, last = alignment.query_span()
            inside = prefix[last + 1] - prefix[first]
            density = min(1.0, alignment.matched / inside) if inside > 0 else 0.0
            # How much of the message the paste repeats, or of the paste the message explains (partial pastes).
            fit = max(alignment.coverage, alignment.matched / paste_weight)
            kept = max(0.0, alignment.matched - GAP_PENALTY * alignment.gaps())
            score = kept * (FIT_FLOOR + (1 - FIT_FLOOR) * fit) * (0.5 + 0.5 * density)
            found.setdefault(alignment.template.entry, []).append((score, alignment))

        # A section scores its best message, plus part of a second one found elsewhere in the paste.
        best: dict[int, Alignment] = {}
        totals: dict[int, float] = {}
        for entry, scored in found.items():
            scored.sort(key=lambda pair: -pair[0])
            top_score, top_alignment = scored[0]
            first, last = top_alignment.query_span()
            extra = next(
                (s for s, a in scored[1:] if a.query_span()[0] > last or a.query_span()[1] < first), 0.0
            )
            best[entry] = top_alignment
            totals[entry] = top_score + SECOND_MESSAGE * extra
        return best, totals

    def _rare_words(self, alignment: Alignment) -> float:
        """The evidence of a matched message in rare words: an error code marks its message by its form, in a
        small index as in a big one; other words count by their weight in units of ``_evidence_unit``."""
        items, codes = alignment.template.items, alignment.template.codes
        code_weight = sum(alignment.template.weights[i] for i, _ in alignment.pairs if items[i].term in codes)
        return (
            code_weight / self.weights.rare + max(0.0, alignment.matched - code_weight) / self._evidence_unit
        )

    def _confidence(self, alignment: Alignment, paste_weight: float) -> float:
        """How surely the top section's documented message is in the paste: 0 to 1, confident from 0.5.

        Confident when enough distinctive words (``MIN_EVIDENCE`` rare words, or an error code) are most of
        the message or most of the paste (``MIN_FIT``), or when so much distinctive text matches that a
        partial fit is still the same message (``STRONG_EVIDENCE``, rare words times the fit). Rarity guards
        against a few common words matching by chance, so it is not asked of a message of several words
        repeated whole, in order; and a phrase the paste repeats word for word that holds a word no other
        section uses is the message's own wording, whatever else the paste says.
        """
        unit = self._evidence_unit
        items = alignment.template.items
        rare_words = self._rare_words(alignment)
        fit = min(1.0, max(alignment.coverage, alignment.matched / paste_weight))
        if alignment.coverage >= MIN_FIT and (
            alignment.template.codes
            or (
                alignment.coverage >= 1.0 - 1e-9
                and len({items[i].term for i, _ in alignment.pairs if not items[i].soft})
                >= WHOLE_MESSAGE_WORDS
            )
        ):
            rare_words = max(rare_words, MIN_EVIDENCE)
        enough = min(rare_words / MIN_EVIDENCE, fit / MIN_FIT)
        plenty = rare_words * fit / STRONG_EVIDENCE
        phrase = [items[i].term for i in alignment.longest_phrase() if not items[i].soft]
        if len(set(phrase)) >= PHRASE_WORDS and any(self.weights.df(term) == 1 for term in phrase):
            enough = max(enough, min(1.0, sum(map(self.weights, phrase)) / unit / MIN_EVIDENCE))
        confidence = min(1.0, 0.5 * max(enough, plenty))
        return confidence if self._has_telling_word(alignment) else min(confidence, RUNNER_UP_CONFIDENCE)

    def _documented_elsewhere(
        self, ranked: list[int], totals: dict[int, float], best: dict[int, Alignment]
    ) -> bool:
        """Whether a section of another page, within ``SHARED_GAP`` of the top one, documents the same message:
        its own message repeats every word of the paste that the top one's does. The message then does not
        tell which topic it is (a storage message quoted by the file and the block pages), and what ranks one
        first (a title, a longer text) is no sure mark. A catalogue (a section that documents ten
        messages or more, many more than the top one: a table of status messages) is no such other topic: it
        lists the message beside the topic that explains it."""
        top = ranked[0]
        said = _matched_terms(best[top])
        for other in ranked[1:SIBLINGS]:
            if totals[other] < (1.0 - SHARED_GAP) * totals[top]:
                break
            alignment = best.get(other)
            if (
                alignment is not None
                and self.sections[other].page != self.sections[top].page
                and not self._catalogue_of(other, top)
                and said <= _matched_terms(alignment)
            ):
                return True
        return False

    def _words_for_a_number(self, alignment: Alignment, paste: Query) -> bool:
        """Whether the paste says words (at least a rare word's weight) where the documented message has only a
        number (a count, an age: ``0/3 nodes are available: 3 node(s) didn't match …``): the message's slot
        took them in, but the paste gives another reason there (``3 Insufficient memory, 9 node(s) …``)."""
        items = alignment.template.items
        text = alignment.template.text
        for (item, token), (next_item, next_token) in pairwise(alignment.pairs):
            between = items[item + 1 : next_item]
            if not between or not all(i.slot and _NUMBER.fullmatch(text[i.start : i.end]) for i in between):
                continue
            if self._known_weight(paste.tokens[token + 1 : next_token]) >= self.weights.rare:
                return True
        return False

    def _catalogue_of(self, entry: int, top: int) -> bool:
        """Whether section ``entry`` is a catalogue beside ``top``: it documents ``CATALOGUE_MESSAGES`` messages
        or more, and ``CATALOGUE_SHARE`` times as many as ``top`` (two tables of error messages of parallel
        topics, file and block storage, are no catalogue of each other)."""
        many = self._messages.get(entry, 0)
        return many >= CATALOGUE_MESSAGES and many >= CATALOGUE_SHARE * self._messages.get(top, 0)

    def _head_inside(self, alignment: Alignment, paste: Query) -> bool:
        """Whether the paste puts a head of its own inside the matched message, on one line: between two words
        that the message joins directly, words (at least a rare word's weight) that end with a colon the
        message does not have there. ``Error: Kubernetes cluster unreachable: Get …`` is another error than the
        documented ``Error: Get …``, however much of that one follows."""
        items, text = alignment.template.items, paste.text
        for (item, token), (next_item, next_token) in pairwise(alignment.pairs):
            if next_token == token + 1 or any(i.slot for i in items[item + 1 : next_item]):
                continue
            inserted = text[paste.tokens[token].end : paste.tokens[next_token].start]
            documented = alignment.template.text[items[item].end : items[next_item].start]
            if (
                "\n" in inserted
                or not inserted.rstrip().endswith(":")
                or inserted.count(":") <= documented.count(":")
            ):
                continue
            if self._known_weight(paste.tokens[token + 1 : next_token]) >= self.weights.rare:
                return True
        return False

    def _known_weight(self, tokens: Iterable[Token]) -> float:
        """The weight of the words of ``tokens`` that the index knows (a word no section uses is a name of the
        reader's, never evidence of another message)."""
        return sum(self.weights(t.term) for t in tokens if t.term in self.tables.postings)

    def _diverges(self, alignment: Alignment, paste: Query) -> bool:
        """Whether the paste has another detail where the matched message has its own: the message is a head
        and a detail joined by a colon, the paste repeats one of them and none of the other's words, and says
        other words there on the same line. ``Error saving credentials: … out: <a network error>`` is not the
        documented ``… out: 'The user name or passphrase you entered is not correct.'``: it is a tool's
        generic head with another detail (or a generic detail behind another head)."""
        items, weights = alignment.template.items, alignment.template.weights
        first_item, last_item = alignment.pairs[0][0], alignment.pairs[-1][0]
        before, after = _rest_of_line(alignment, paste)
        for rest, said in ((range(last_item + 1, len(items)), after), (range(first_item), before)):
            literal = [k for k in rest if weights[k] > 0 and not items[k].soft]
            if not literal:
                continue
            total = sum(weights[k] for k in literal)
            found = sum(weights[k] for k in literal if items[k].term in paste.positions)
            if total < self.weights.rare or found > DETAIL_SAID * total:
                continue
            # The head and the detail are joined by a colon between the matched part and the missing one.
            lo, hi = (
                (items[last_item].end, items[literal[0]].start)
                if literal[0] > last_item
                else (
                    items[literal[-1]].end,
                    items[first_item].start,
                )
            )
            if ":" not in alignment.template.text[lo:hi]:
                continue
            own = alignment.template.literal_terms
            if sum(self.weights(t.term) for t in said if t.term not in own) >= self.weights.rare:
                return True
        return False

    def _read_titles(self, totals: dict[int, float], said: Collection[str]) -> None:
        """Add the weight of the paste's words that a section's title and symptom use: a report in prose
        describes the symptom in words like the docs' own."""
        said = _with_stems(said)
        for entry in sorted(totals, key=totals.__getitem__, reverse=True)[:TITLES_READ]:
            problem = self._problem_terms(entry)[1]
            totals[entry] += TITLE_SHARE * sum(self.weights(t) for t in problem if stem(t) in said)

    def _has_telling_word(self, alignment: Alignment) -> bool:
        """Whether a matched message holds a word that few sections use (not a number), or is long: a short
        message of common words (``Request failed with status code 500``) is what many tools print, whatever
        went wrong."""
        items = alignment.template.items
        words = {items[i].term for i, _ in alignment.pairs if not items[i].term.isdigit()}
        few = max(TELLING_FLOOR, TELLING_SHARE * self.weights.documents)
        return len(words) >= LONG_MESSAGE_WORDS or any(self.weights.df(term) <= few for term in words)

    def _tell_siblings_apart(self, totals: dict[int, float], said: Collection[str]) -> None:
        """Among sections that score about the same (siblings: the same message, a general and a specific
        section), reward the words of its title and symptom that the others lack and the paste says, and
        cost the words of its title that the others lack and the paste does not say."""
        ranked = sorted(totals, key=totals.__getitem__, reverse=True)[:SIBLINGS]
        if len(ranked) < 2:
            return
        near = [e for e in ranked if totals[e] >= (1.0 - SIBLING_GAP) * totals[ranked[0]]]
        if len(near) < 2:
            return
        words = {e: self._problem_terms(e) for e in near}
        said = _with_stems(said)
        top = totals[ranked[0]]
        for entry in near:
            title, problem = words[entry]
            others = set().union(*(words[o][1] for o in near if o != entry))
            gain = sum(self.weights(t) for t in problem - others if stem(t) in said)
            loss = sum(self.weights(t) for t in title - others if stem(t) not in said)
            totals[entry] += SIBLING_SHARE * top * (gain - UNSAID_SHARE * loss) / self.weights.rare / 4

    def _prefer_the_general_sibling(
        self, totals: dict[int, float], best: dict[int, Alignment], paste: Query
    ) -> None:
        """A section whose message is a sibling's plus specifics the paste lacks ranks below that sibling.

        Of two near sections (within ``SIBLING_GAP``), the upper one's matched words hold all of the lower
        one's: it explains the same part of the paste and some more words. When the weight of those more words
        is less than the weight of its message's words that the paste replaces by others, beyond the sibling's
        such words, its message is a full example of a more specific case (a product's volume, a firewall's
        timeout) that the paste does not show, and the general sibling explains the paste better. Words past
        the end of a paste that stops inside the message are not replaced: the paste is only cut short.
        """
        ranked = [e for e in sorted(totals, key=totals.__getitem__, reverse=True)[:SIBLINGS] if e in best]
        words = {e: self._said_and_replaced(best[e], paste) for e in ranked}
        demoted: dict[int, float] = {}
        for upper_rank, upper in enumerate(ranked):
            upper_said, upper_replaced = words[upper]
            for lower in ranked[upper_rank + 1 :]:
                if totals[lower] < (1.0 - SIBLING_GAP) * totals[upper]:
                    break
                lower_said, lower_replaced = words[lower]
                if not lower_said or not lower_said.keys() <= upper_said.keys():
                    continue
                more = sum(w for t, w in upper_said.items() if t not in lower_said)
                if more < sum(upper_replaced.values()) - sum(lower_replaced.values()):
                    demoted[upper] = min(
                        demoted.get(upper, totals[upper]), (1.0 - RUNNER_UP_GAP) * totals[lower]
                    )
        totals.update(demoted)

    def _prefer_the_sibling_the_paste_says(
        self, totals: dict[int, float], best: dict[int, Alignment], paste: Query
    ) -> None:
        """Of two near sections (within ``SIBLING_GAP``), the upper one ranks below the lower one when, where
        the upper one's message has words of its own that the paste replaces by others, the paste says words
        of the lower one's message (at least a rare word's weight), and the lower one's message has less that
        the paste replaces: ``Pending endpoint gateway creation`` said where a sibling's listing shows
        ``Pending security group creation``. Where two messages differ, the paste's words tell which it is."""
        ranked = [e for e in sorted(totals, key=totals.__getitem__, reverse=True)[:SIBLINGS] if e in best]
        replaced = {e: sum(self._said_and_replaced(best[e], paste)[1].values()) for e in ranked}
        demoted: dict[int, float] = {}
        for upper_rank, upper in enumerate(ranked):
            elsewhere = self._said_instead(best[upper], paste)
            for lower in ranked[upper_rank + 1 :] if elsewhere else ():
                if totals[lower] < (1.0 - SIBLING_GAP) * totals[upper]:
                    break
                said = elsewhere.intersection(q for _, q in best[lower].pairs)
                if (
                    replaced[lower] < replaced[upper]
                    and sum(self.weights(paste.tokens[q].term) for q in said) >= self.weights.rare
                ):
                    demoted[upper] = min(
                        demoted.get(upper, totals[upper]), (1.0 - RUNNER_UP_GAP) * totals[lower]
                    )
                    break
        totals.update(demoted)

    def _said_instead(self, alignment: Alignment, paste: Query) -> set[int]:
        """The paste's tokens (by number) said where a matched message has words that the paste does not say:
        between two matched words around such words, and on the rest of the line before or after the matched
        stretch when the message has such words there."""
        items, weights = alignment.template.items, alignment.template.weights

        def unsaid(rest: range) -> bool:
            return any(
                weights[k] > 0 and not items[k].soft and items[k].term not in paste.positions for k in rest
            )

        found: set[int] = set()
        for (item, token), (next_item, next_token) in pairwise(alignment.pairs):
            if unsaid(range(item + 1, next_item)):
                found.update(range(token + 1, next_token))
        before, after = _rest_of_line(alignment, paste)
        (first_item, first), (last_item, last) = alignment.pairs[0], alignment.pairs[-1]
        if unsaid(range(last_item + 1, len(items))):
            found.update(range(last + 1, last + 1 + len(after)))
        if unsaid(range(first_item)):
            found.update(range(first - len(before), first))
        return found

    def _said_and_replaced(
        self, alignment: Alignment, paste: Query
    ) -> tuple[dict[str, float], dict[str, float]]:
        """The weight of each word of a matched message that the paste repeats, and of each it replaces by
        other words: inside the matched stretch, or before or after it where the paste's line says more."""
        template = alignment.template
        first_item, last_item = alignment.pairs[0][0], alignment.pairs[-1][0]
        before, after = _rest_of_line(alignment, paste)
        goes_on = any(self.weights(t.term) > 0 for t in after)
        came_before = any(self.weights(t.term) > 0 for t in before)
        matched = {template.items[i].term for i, _ in alignment.pairs}
        said: dict[str, float] = {}
        replaced: dict[str, float] = {}
        for k, (item, weight) in enumerate(zip(template.items, template.weights, strict=True)):
            if weight <= 0 or item.soft:
                continue
            if item.term in matched:
                said[item.term] = weight
            elif item.term not in paste.positions and (
                first_item < k < last_item or (k > last_item and goes_on) or (k < first_item and came_before)
            ):
                replaced[item.term] = weight
        return said, replaced

    def _problem_terms(self, entry: int) -> tuple[frozenset[str], frozenset[str]]:
        """The informative terms of a section's title, and of its title and symptom."""
        found = self._problem.get(entry)
        if found is None:
            section = self.sections[entry]
            title = frozenset(t for t, _ in terms(section.title) if informative(t))
            symptom = frozenset(t for t, _ in terms(section.symptom) if informative(t))
            found = self._problem[entry] = (title, title | symptom)
        return found

    def _bm25(self, terms: dict[str, float]) -> dict[int, float]:
        """BM25 over each section's whole text: problem and resolution (the fix names what a log shows)."""
        scores: dict[int, float] = {}
        lengths, average = self.tables.lengths, self.tables.average_length
        for term, w in terms.items():
            for entry, count in self.tables.text_posting(term):
                norm = (
                    count
                    * (BM25_K1 + 1)
                    / (count + BM25_K1 * (1 - BM25_B + BM25_B * lengths[entry] / average))
                )
                scores[entry] = scores.get(entry, 0.0) + w * norm
        return scores

    def _term_evidence(self, entry: int, terms: dict[str, float]) -> Evidence:
        section = self.sections[entry]
        text = section.symptom or section.title
        tokens = self._shown.get(entry)
        if tokens is None:
            tokens = self._shown[entry] = tokenize(text)
        spans: list[list[int]] = []
        for token in tokens:
            if token.term in terms:
                if spans and not text[spans[-1][1] : token.start].strip():
                    spans[-1][1] = token.end
                else:
                    spans.append([token.start, token.end])
        return Evidence(text, spans)
