"""The matcher's lookup tables, computed once when the index is written and read back cheaply.

Tokenising every section for the term statistics and compiling every error text used to happen each time
a matcher was loaded, which is what a reader waits for in the browser. :meth:`Tables.build` does that work
when ``troubledocs index`` (or a site build) writes the index, and stores the result compactly:

* ``lengths``: informative terms per section, resolution included (BM25 length normalisation);
* ``postings``: per term, the sections whose problem text (title, symptom, errors, cause, body) uses it, as a
  string ``"entry:count,entry,…"`` (``:1`` left out); a string is parsed only when a paste holds the term, and
  its number of sections is the term's document frequency, which makes its weight as evidence;
* ``resolution_postings``: the same for the resolution text, which only the BM25 score reads (optional: an
  index without it ranks on the problem text alone);
* ``codes``: the terms that are error codes (they weigh more);
* ``templates``: ``[entry, text]`` of each error text worth aligning (a title that names its error by a code,
  ``Error 1016: Origin DNS error``, is one, as is a title that reads like a message or the message it quotes),
  compiled on first use;
* ``template_postings``: per term, the numbers of the templates that can match on it (``"n,n,…"``);
* ``generic_lines``: shapes of the lines that several pages show (:mod:`troubleshooter.boilerplate`): not
  templates, and dropped from pastes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
import re
from typing import Any

from troubleshooter.boilerplate import generic_shapes, is_boilerplate
from troubleshooter.model import IndexFormatError, Section
from troubleshooter.templates import Template, compile_template
from troubleshooter.terms import Weights, informative, terms, tokenize
from troubleshooter.wording import looks_like_error

#: Lines shorter than this many informative terms are not templates on their own (unless they hold a code).
MIN_LINE_TERMS = 2
MAX_TEMPLATE_CHARS = 2000
#: A program name as the first word of a command line (``kubectl``, ``ibmcloud``, ``oc``).
_PROGRAM = re.compile(r"[a-z][a-z0-9_-]*")
#: A program that this many sections run in their steps is a command of the docs.
PROGRAM_SECTIONS = 2


def programs_of(sections: Sequence[Section]) -> frozenset[str]:
    """The programs that the docs' steps run (the first word of their command lines, in several sections)."""
    found: dict[str, int] = {}
    for section in sections:
        for word in {c.split()[0] for c in section.commands if c.split()}:
            if _PROGRAM.fullmatch(word):
                found[word] = found.get(word, 0) + 1
    return frozenset(word for word, count in found.items() if count >= PROGRAM_SECTIONS)


#: An option of a command line (``--kind``); a line with two of them and no colon that would make it a
#: message's head is a command typed, whatever its program.
_OPTION = re.compile(r"(?<!\S)--[a-z]")
COMMAND_OPTIONS = 2


def is_command_line(line: str, programs: Collection[str]) -> bool:
    """Whether ``line`` is a command that the reader typed (``$ ibmcloud cr login``), not what a tool said: it
    starts with one of the ``programs`` the docs run, or has the form of a command with options (which a
    small set of docs may not run often enough to learn its program)."""
    text = line.strip().removeprefix("$").strip()
    words = text.split()
    if not words:
        return False
    if words[0] in programs:
        return True
    return (
        bool(_PROGRAM.fullmatch(words[0]))
        and ": " not in text
        and len(_OPTION.findall(text)) >= COMMAND_OPTIONS
    )


#: A field of a CLI record (``Ingress Subdomain:      mycluster-<hash>.appdomain.cloud``): a label, a colon, and
#: the value after two or more spaces. A field whose value is one word (a name, a host, a state) is a line of
#: every record of that command, not a message of its own.
_FIELD = re.compile(r"[A-Z][\w .()/-]{0,40}:\s{2,}(?P<value>\S.*)")


def _says_something(text: str) -> bool:
    """Whether ``text`` can be a message on its own: an error code, or ``MIN_LINE_TERMS`` informative terms."""
    tokens = tokenize(text)
    return any(t.code for t in tokens) or sum(1 for t in tokens if informative(t.term)) >= MIN_LINE_TERMS


def template_texts(error: str, generic: Collection[str] = (), programs: Collection[str] = ()) -> list[str]:
    """An error block as templates: each message line (a line that ends with a colon and the next one are one
    message; not a field of a CLI record whose value is one word), and the whole block when it has several
    lines.

    Boilerplate lines (column headers of CLI output, links, progress, lines that ``generic`` names) are left
    out: they are the same in every listing, not an error; so are the command lines (a line that starts
    with one of the ``programs`` the docs run, or has options): the paste of any run of that command shows
    them.
    """
    lines = [
        line.strip()
        for line in error.splitlines()
        if line.strip() and not is_boilerplate(line, generic) and not is_command_line(line, programs)
    ]
    # A line that ends with a colon introduces its detail on the next line: one message.
    messages: list[str] = []
    for line in lines:
        if messages and messages[-1].endswith(":"):
            messages[-1] = f"{messages[-1]} {line}"
        else:
            messages.append(line)
    texts = []
    for line in messages:
        field = _FIELD.fullmatch(line)
        if (field is None or " " in field.group("value").strip()) and _says_something(line):
            texts.append(line[:MAX_TEMPLATE_CHARS])
    if len(lines) > 1:
        texts.append("\n".join(lines)[:MAX_TEMPLATE_CHARS])
    return texts


#: A message that a title quotes (``Cluster creation fails with "The API key could not be found"``); a single
#: quote only between non-word characters (``can't`` is no quote).
_QUOTED = re.compile(r"\"([^\"\n]+)\"|“([^”\n]+)”|`([^`\n]+)`|(?<!\w)'([^'\n]+)'(?!\w)")


def _message_like(text: str) -> bool:
    """Whether ``text`` reads like an error message (the index writer's test of the docs' blocks) and says
    enough to be one."""
    return looks_like_error(text) and _says_something(text)


def title_messages(title: str) -> tuple[str, ...]:
    """The messages a section's title says, as error texts of the section: the docs that list errors often
    show no message but the title. A title that names its error by a code (``Error 1016: Origin DNS error``)
    or is itself a message (``Status conditions indicate unavailable: LoadBalancerReady=False``) is one; a
    question asks about a message and is none, but the message it quotes is one."""
    if any(token.code for token in tokenize(title)):
        return (title,)
    quoted = tuple(
        text for found in _QUOTED.finditer(title) for text in found.groups() if text and _message_like(text)
    )
    if quoted:
        return quoted
    return (title,) if "?" not in title and _message_like(title) else ()


def _section_text(section: Section) -> str:
    """The text that describes a section's problem (the title counts twice): its terms' rarity is evidence."""
    return " ".join(
        (section.title, section.title, section.symptom, *section.errors, section.cause, section.body)
    )


def _count(text: str, codes: set[str]) -> dict[str, int]:
    """Informative terms of ``text`` with their counts; adds the error codes met to ``codes``."""
    found: dict[str, int] = {}
    for term, code in terms(text):
        if code:
            codes.add(term)
        if informative(term):
            found[term] = found.get(term, 0) + 1
    return found


def _postings_of(counts: list[dict[str, int]]) -> dict[str, str]:
    """Per term, the stored posting string ``"entry:count,entry,…"`` of the sections that use it."""
    grouped: dict[str, list[str]] = {}
    for entry, found in enumerate(counts):
        for term, count in found.items():
            grouped.setdefault(term, []).append(f"{entry}:{count}" if count > 1 else str(entry))
    return {term: ",".join(parts) for term, parts in grouped.items()}


_POSTING = re.compile(r"\d+(?::\d+)?(?:,\d+(?::\d+)?)*")
_NUMBERS = re.compile(r"\d+(?:,\d+)*")


def _parse_numbers(text: str, limit: int) -> list[int]:
    return [n for n in map(int, text.split(",")) if n < limit]


def _parse_posting(text: str, limit: int) -> list[tuple[int, int]]:
    out = []
    for part in text.split(","):
        entry, _, count = part.partition(":")
        if int(entry) < limit:
            out.append((int(entry), int(count) if count else 1))
    return out


@dataclass
class Tables:
    """Term statistics and templates of one index (see the module docstring for the stored form)."""

    lengths: list[int]
    postings: dict[str, str]
    codes: frozenset[str]
    template_sources: list[tuple[int, str]]
    template_postings: dict[str, str]
    resolution_postings: dict[str, str] = field(default_factory=dict)
    generic_lines: frozenset[str] = frozenset()
    weights: Weights = field(init=False)
    #: Term weights over the whole text of the sections (problem and resolution), for the BM25 score.
    text_weights: Weights = field(init=False)
    average_length: float = field(init=False)
    _postings: dict[str, list[tuple[int, int]]] = field(init=False, default_factory=dict)
    _text_postings: dict[str, list[tuple[int, int]]] = field(init=False, default_factory=dict)
    _template_numbers: dict[str, list[int]] = field(init=False, default_factory=dict)
    _templates: dict[int, Template] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        postings = self.postings
        self.weights = Weights(
            len(self.lengths),
            lambda term: postings[term].count(",") + 1 if term in postings else 0,
            self.codes,
        )
        self.text_weights = Weights(len(self.lengths), lambda term: len(self.text_posting(term)), self.codes)
        self.average_length = max(1.0, sum(self.lengths) / max(1, len(self.lengths)))

    @classmethod
    def build(cls, sections: Sequence[Section]) -> Tables:
        """Tokenise the sections and compile their error texts (what an index writer does once)."""
        codes: set[str] = set()
        counts = [_count(_section_text(section), codes) for section in sections]
        resolution_counts = [_count(section.resolution, codes) for section in sections]
        postings = _postings_of(counts)
        lengths = [
            sum(found.values()) + sum(more.values())
            for found, more in zip(counts, resolution_counts, strict=True)
        ]
        weights = cls(lengths, postings, frozenset(codes), [], {}).weights
        generic = frozenset(
            generic_shapes((section.page, error) for section in sections for error in section.errors)
        )
        programs = programs_of(sections)
        sources: list[tuple[int, str]] = []
        numbers: dict[str, list[str]] = {}
        for entry, section in enumerate(sections):
            for error in (*section.errors, *title_messages(section.title)):
                for text in template_texts(error, generic, programs):
                    template = compile_template(entry, text, weights)
                    if template.total <= 0:
                        continue
                    for term in template.literal_terms:
                        numbers.setdefault(term, []).append(str(len(sources)))
                    sources.append((entry, text))
        template_postings = {term: ",".join(found) for term, found in numbers.items()}
        return cls(
            lengths,
            postings,
            frozenset(codes),
            sources,
            template_postings,
            _postings_of(resolution_counts),
            generic,
        )

    def to_json(self) -> dict[str, Any]:
        """The ``tables`` member of the index document."""
        return {
            "lengths": self.lengths,
            "postings": self.postings,
            "codes": sorted(self.codes),
            "templates": [[entry, text] for entry, text in self.template_sources],
            "template_postings": self.template_postings,
            "resolution_postings": self.resolution_postings,
            "generic_lines": sorted(self.generic_lines),
        }

    @classmethod
    def from_json(cls, data: Any, sections: int) -> Tables:
        """Read the ``tables`` member written for ``sections`` entries (strings stay unparsed until used)."""
        try:
            lengths = [int(n) for n in data["lengths"]]
            tables = cls(
                lengths,
                dict(data["postings"]),
                frozenset(str(c) for c in data["codes"]),
                [(int(entry), str(text)) for entry, text in data["templates"]],
                dict(data["template_postings"]),
                dict(data.get("resolution_postings", {})),
                frozenset(str(line) for line in data.get("generic_lines", ())),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise IndexFormatError(f"the index tables are malformed: {error!r}") from error
        if len(lengths) != sections or any(not 0 <= e < sections for e, _ in tables.template_sources):
            raise IndexFormatError("the index tables do not fit its entries")
        # Checked here so that a damaged file is a clear error now, never an exception while matching.
        checks = (
            (tables.postings, _POSTING),
            (tables.resolution_postings, _POSTING),
            (tables.template_postings, _NUMBERS),
        )
        for mapping, pattern in checks:
            if not all(isinstance(v, str) and pattern.fullmatch(v) for v in mapping.values()):
                raise IndexFormatError("the index tables hold a malformed posting list")
        return tables

    def posting(self, term: str) -> list[tuple[int, int]]:
        """``(entry, count)`` of the sections that use ``term``."""
        found = self._postings.get(term)
        if found is None:
            text = self.postings.get(term)
            found = _parse_posting(text, len(self.lengths)) if text else []
            self._postings[term] = found
        return found

    def text_posting(self, term: str) -> list[tuple[int, int]]:
        """``(entry, count)`` of the sections whose problem or resolution text uses ``term``."""
        found = self._text_postings.get(term)
        if found is None:
            text = self.resolution_postings.get(term)
            if not text:
                found = self.posting(term)
            else:
                merged = dict(self.posting(term))
                for entry, count in _parse_posting(text, len(self.lengths)):
                    merged[entry] = merged.get(entry, 0) + count
                found = sorted(merged.items())
            self._text_postings[term] = found
        return found

    def template_numbers(self, term: str) -> list[int]:
        """The templates that can match on ``term``."""
        found = self._template_numbers.get(term)
        if found is None:
            text = self.template_postings.get(term)
            found = _parse_numbers(text, len(self.template_sources)) if text else []
            self._template_numbers[term] = found
        return found

    def template(self, number: int) -> Template:
        """Template ``number``, compiled the first time it is asked for."""
        found = self._templates.get(number)
        if found is None:
            entry, text = self.template_sources[number]
            found = self._templates[number] = compile_template(entry, text, self.weights)
        return found
