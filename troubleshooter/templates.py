"""Error texts compiled into templates, and their alignment with a paste.

A template is the token sequence of one documented error text in which placeholders are *slots*:
``<cluster_name_or_ID>``, ``'<provider>'``, ``#123456``, numbers, hex and UUID ids, IPs (every identifier-like
token, see :mod:`troubleshooter.terms`). Quoted names (``'eu-de-2'``, ``"validate.nginx…"``) stay as *soft*
literals: they count when the paste repeats them, and the paste may put anything there instead.

Alignment never uses a backtracking regex. Each literal of the template is looked up in a position table
of the paste, and a chain of (template item, paste position) pairs that increase together is built by
dynamic programming over those pairs only; gaps are allowed where the template has slots (wide) or where
a few words differ (narrow), and a link over words of the message that the paste does not repeat pays for them
(``GAP_PENALTY``, as the ranking does), so the chain found is the one the ranking scores best. The cost is
proportional to the number of matching pairs, not to the length of the paste times the length of the template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
import re

from troubleshooter.boilerplate import URL
from troubleshooter.normalize import JSON_KEY
from troubleshooter.terms import ID_TERM, Token, Weights, compound_parts, singular, tokenize

#: ``<cluster_name_or_ID>`` placeholders, and ``...``/``…`` where the docs leave part of a message out.
_ANGLE = re.compile(r"<([A-Za-z_][^<>\n]{0,60})>")
#: A run of characters glued to a placeholder (``<region>.icr.io/<namespace>``, ``kube-<CLUSTERID>``): one value.
_GLUED = re.compile(r"""[^\s'"“”‘’()\[\]{},;]*""")
_ELLIPSIS = re.compile(r"\.\.\.+|…")
_QUOTED = re.compile(r"'[^'\n]{1,80}'|\"[^\"\n]{1,80}\"|“[^”\n]{1,80}”|‘[^’\n]{1,80}’")
#: Cost of each template word inside a chain that the paste replaces by other words (in weight of the word).
GAP_PENALTY = 0.5
#: How many template items a chain may skip between two matched items.
MAX_SKIP = 6
#: Extra paste tokens allowed between two matched items: per template gap, and per slot in it.
NARROW_GAP = 3
SLOT_GAP = 14
#: The slot of ``...`` (the docs left text out): it may stand for several values' worth of paste.
ELLIPSIS = "…"
ELLIPSIS_WIDTH = 4
SOFT_FACTOR = 0.5
#: A camel-case identifier (``ImagePullBackOff``) is one word as written: its later words weigh this share, so
#: that one status word of a listing is not a message of four words.
CAMEL_PART_FACTOR = 0.5
MAX_NAME_TOKENS = 4
#: Positions of one term in the paste that alignment looks at (long logs repeat common words).
MAX_POSITIONS = 64


#: Characters that end a value when the template puts them right after a slot.
_CLOSING = "\"'”’)]}>"


@dataclass(frozen=True, slots=True)
class Item:
    """A template position: a literal term (``slot`` empty) or a slot named after its placeholder."""

    term: str
    start: int
    end: int
    slot: str = ""
    soft: bool = False
    boilerplate: bool = False


@dataclass(slots=True)
class Template:
    """One documented error text, compiled."""

    entry: int
    text: str
    items: list[Item]
    weights: list[float]
    total: float
    #: slot capacity (slots, soft words, ``...`` counting ``ELLIPSIS_WIDTH``) of ``items[:i]``
    slots_before: list[int]
    codes: frozenset[str]
    #: evidence weight of ``items[:i]`` (what a chain pays for the words it links over)
    weight_before: list[float]

    def pattern(self) -> str:
        """Readable form: literal terms, ``~soft`` terms, ``{slot}`` slots (``_`` for boilerplate)."""
        parts = []
        for item in self.items:
            if item.slot:
                parts.append("{" + item.slot + "}")
            elif item.boilerplate:
                parts.append("_")
            else:
                parts.append(("~" if item.soft else "") + item.term)
        return " ".join(parts)

    def within_slot(self, index: int, value: str) -> str:
        """The part of ``value`` (the paste's text where slot ``index`` stands) that the slot holds.

        A value stops at the template's next literal when that is a closing quote or bracket: in
        ``"<image>" ...`` the image name ends at the quote, however much the paste says after it.
        """
        items = self.items
        before = self.text[items[index - 1].end if index else 0 : items[index].start].strip()
        after = self.text[items[index].end : items[index + 1].start if index + 1 < len(items) else None]
        value = value.strip()
        if before and not before[-1].isalnum() and value.startswith(before[-1]):
            value = value[1:]
        mark = after.strip()[:1]
        if mark and mark in _CLOSING:
            cut = value.find(mark)
            if cut > 0:
                value = value[:cut]
        return value

    @property
    def literal_terms(self) -> set[str]:
        """Distinct terms the template can match on."""
        return {item.term for item, w in zip(self.items, self.weights, strict=True) if w > 0}


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    for span in spans:
        if span[0] <= pos < span[1]:
            return span
    return None


def _values(text: str, angles: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Each placeholder with the characters glued to it, as one value span and its slot name.

    The reader's value replaces the whole run (``us.icr.io/team/app:1.2`` for
    ``<region>.icr.io/<namespace>/<image>:<tag>``), so the literal bits inside it are not words of the message.
    """
    values: list[tuple[int, int, str]] = []
    for start, end in angles:
        if values and start < values[-1][1]:
            continue
        left = start
        while left > 0 and _GLUED.fullmatch(text[left - 1]):
            left -= 1
        right = _GLUED.match(text, end)
        stop = right.end() if right else end
        while stop > end and text[stop - 1] in ".:":
            stop -= 1  # sentence punctuation after the value
        inner = [a for a in angles if left <= a[0] < stop]
        name = (
            text[start + 1 : end - 1]
            if len(inner) == 1
            else text[left:stop].replace("<", "").replace(">", "")
        )
        values.append((left, stop, " ".join(name.split())))
    return values


def _later_camel_part(text: str, start: int) -> bool:
    """Whether the term at ``start`` is a later word of a camel-case identifier (``Pull`` of
    ``ImagePullBackOff``)."""
    return start > 0 and text[start].isupper() and text[start - 1].isalpha()


def compile_template(entry: int, text: str, weights: Weights) -> Template:
    """Compile one error text; ``weights`` gives each literal term its evidence weight."""
    angles = _spans(_ANGLE, text)
    values = _values(text, angles)
    # A link is one value: the paste may show any other link there (its words are never evidence).
    values += [
        (start, end, "url")
        for start, end in _spans(URL, text)
        if not any(v[0] < end and start < v[1] for v in values)
    ]
    values.sort()
    keys = _spans(JSON_KEY, text)
    # A quoted name ('eu-de-2', "my-secret") is soft; a quoted sentence is part of the message.
    quotes = [
        q
        for q in _spans(_QUOTED, text)
        if not any(q[0] <= a[0] < q[1] for a in angles)
        and _inside(q[0], keys) is None
        and len(tokenize(text[q[0] : q[1]])) <= MAX_NAME_TOKENS
    ]
    gaps = _spans(_ELLIPSIS, text)
    items: list[Item] = []
    previous_word = ""
    for token in tokenize(text):
        while gaps and gaps[0][1] <= token.start:
            # ``...`` in a documented message: anything may stand there.
            gap = gaps.pop(0)
            if not (items and items[-1].slot):
                items.append(Item("", gap[0], gap[1], slot=ELLIPSIS))
        value = next((v for v in values if v[0] <= token.start < v[1]), None)
        if value is not None:
            if not (items and items[-1].slot == value[2] and items[-1].start == value[0]):
                items.append(Item("", value[0], value[1], slot=value[2]))
            continue
        if token.term == ID_TERM:
            if items and items[-1].slot and items[-1].end >= token.start - 1:
                last = items[-1]
                items[-1] = Item("", last.start, token.end, slot=last.slot)
            else:
                items.append(Item("", token.start, token.end, slot=previous_word or "value"))
            continue
        if _inside(token.start, keys) is not None:
            # Keys of a JSON wrapper in the docs text: the paste's keys are stripped, so they never count.
            items.append(Item(token.term, token.start, token.end, soft=True, boilerplate=True))
            previous_word = token.term
            continue
        soft = _inside(token.start, quotes) is not None
        items.append(Item(token.term, token.start, token.end, soft=soft))
        if not soft:
            previous_word = token.term
    if gaps and not (items and items[-1].slot):
        items.append(Item("", gaps[-1][0], gaps[-1][1], slot=ELLIPSIS))
    item_weights = [
        0.0
        if item.slot or item.boilerplate
        else weights(item.term)
        * (SOFT_FACTOR if item.soft else 1.0)
        * (CAMEL_PART_FACTOR if _later_camel_part(text, item.start) else 1.0)
        for item in items
    ]
    slots_before = [0]
    for item in items:
        width = ELLIPSIS_WIDTH if item.slot == ELLIPSIS else (1 if item.slot or item.soft else 0)
        slots_before.append(slots_before[-1] + width)
    codes = frozenset(item.term for item in items if item.term in weights.codes)
    weight_before = [0.0]
    for weight in item_weights:
        weight_before.append(weight_before[-1] + weight)
    return Template(entry, text, items, item_weights, sum(item_weights), slots_before, codes, weight_before)


def _unlinked(tokens: list[Token], links: list[tuple[int, int]]) -> list[Token]:
    """``tokens`` with the words inside ``links`` (sorted spans) made identifiers: a link's words are no
    evidence, as a template holds a slot where its docs show a link. One pass over both lists."""
    out: list[Token] = []
    index = 0
    for token in tokens:
        while index < len(links) and links[index][1] <= token.start:
            index += 1
        inside = index < len(links) and links[index][0] <= token.start
        out.append(token._replace(term=ID_TERM, code=False) if inside else token)
    return out


@dataclass(slots=True)
class Query:
    """A normalised paste, tokenised once for every template it is aligned with."""

    text: str
    tokens: list[Token]
    positions: dict[str, list[int]]

    @classmethod
    def of(cls, text: str) -> Query:
        """Tokenise ``text`` and index where each term occurs."""
        tokens = tokenize(text)
        if "://" in text:
            tokens = _unlinked(tokens, _spans(URL, text))
        positions: dict[str, list[int]] = {}
        for index, token in enumerate(tokens):
            slot = positions.setdefault(token.term, [])
            if len(slot) < MAX_POSITIONS:
                slot.append(index)
        # A camel-case word also stands as its one lower-case word where its first part stands, as the
        # index counts it (:func:`troubleshooter.terms.terms`): ``NotReady`` is ``not ready`` and ``notready``.
        first = 0
        for index in range(1, len(tokens) + 1):
            if index < len(tokens) and tokens[index].start == tokens[index - 1].end:
                continue
            if index - first > 1 and tokens[first].term != ID_TERM:
                joined = singular(text[tokens[first].start : tokens[index - 1].end].lower())
                slot = positions.setdefault(joined, [])
                if len(slot) < MAX_POSITIONS and first not in slot:
                    slot.append(first)
                    slot.sort()
            first = index
        return cls(text, tokens, positions)

    def split_compounds(self, known: Callable[[str], bool]) -> None:
        """Let the parts of each unknown compound word (``etcdserver``) stand where the word stands."""
        for term, places in list(self.positions.items()):
            parts = compound_parts(term, known)
            if parts is not None:
                for part in parts:
                    merged = sorted({*self.positions.get(part, ()), *places})
                    self.positions[part] = merged[:MAX_POSITIONS]


@dataclass(slots=True)
class Alignment:
    """The best chain of a template in a paste."""

    template: Template
    matched: float
    pairs: list[tuple[int, int]]

    @property
    def coverage(self) -> float:
        """Share of the template's evidence weight that the paste repeats."""
        return self.matched / self.template.total if self.template.total else 0.0

    def gaps(self) -> float:
        """Weight of the template words inside the chain that the paste does not repeat (it says else)."""
        matched = {item for item, _ in self.pairs}
        first, last = self.pairs[0][0], self.pairs[-1][0]
        weights = self.template.weights
        return sum(weights[k] for k in range(first + 1, last) if k not in matched)

    def longest_phrase(self) -> list[int]:
        """Template items of the longest run the paste repeats word for word (stop words between may differ)."""
        items, weights = self.template.items, self.template.weights
        best: list[int] = []
        run: list[int] = []
        previous: tuple[int, int] | None = None
        for item_index, q in self.pairs:
            between = range(previous[0] + 1, item_index) if previous else range(0)
            if (
                previous is not None
                and q - previous[1] == item_index - previous[0]
                and all(weights[k] == 0.0 and not items[k].slot for k in between)
            ):
                run.append(item_index)
            else:
                run = [item_index]
            if len(run) > len(best):
                best = list(run)
            previous = (item_index, q)
        return best

    def query_span(self) -> tuple[int, int]:
        """First and last paste token of the chain."""
        return self.pairs[0][1], self.pairs[-1][1]

    def evidence_spans(self) -> list[list[int]]:
        """Character ranges of the template text that matched, adjacent ones merged."""
        spans: list[list[int]] = []
        items, weights = self.template.items, self.template.weights
        previous = -1
        for item_index, _ in self.pairs:
            item = items[item_index]
            # Stop words between two matched words ("with", "to") are highlighted with them.
            skipped = range(previous + 1, item_index)
            if spans and all(not items[k].slot and weights[k] == 0.0 for k in skipped):
                spans[-1][1] = item.end
            else:
                spans.append([item.start, item.end])
            previous = item_index
        return spans

    def captures(self, query: Query) -> dict[str, str]:
        """Values of the paste that sit where the template has a slot between two matched items."""
        out: dict[str, str] = {}
        items = self.template.items
        tokens = query.tokens
        for (i1, q1), (i2, q2) in zip(self.pairs, self.pairs[1:], strict=False):
            between = items[i1 + 1 : i2]
            slots = [k for k, item in enumerate(between) if item.slot]
            if len(slots) != 1:
                continue
            # Unmatched words around the slot (stop words such as "to") must sit right beside it.
            lead, trail = between[: slots[0]], between[slots[0] + 1 :]
            first, last = q1 + len(lead), q2 - len(trail)
            if last - first < 2:
                continue
            if [t.term for t in tokens[q1 + 1 : first + 1]] != [i.term for i in lead]:
                continue
            if [t.term for t in tokens[last:q2]] != [i.term for i in trail]:
                continue
            value = query.text[tokens[first].end : tokens[last].start]
            _put(out, between[slots[0]].slot, self.template.within_slot(i1 + 1 + slots[0], value))
        if self.pairs:
            # A slot that opens or closes the message takes the word of the paste beside it.
            first_item, first_q = self.pairs[0]
            if first_item == 1 and items[0].slot:
                _put(out, items[0].slot, _word_before(query.text, tokens[first_q].start))
            last_item, last_q = self.pairs[-1]
            if last_item == len(items) - 2 and items[-1].slot:
                _put(out, items[-1].slot, _word_after(query.text, tokens[last_q].end))
        return out


_WORD_LIMIT = 200
#: What may stand between a message's last word and the value after it ("ID: 42", "id=42").
_SEPARATORS = " \t:=,"


def _word_before(text: str, end: int) -> str:
    """The whitespace-delimited word that ends before ``end`` (spaces right before it skipped)."""
    stop = end
    while stop > 0 and text[stop - 1] in _SEPARATORS:
        stop -= 1
    start = stop
    while start > 0 and stop - start < _WORD_LIMIT and not text[start - 1].isspace():
        start -= 1
    return text[start:stop]


def _word_after(text: str, start: int) -> str:
    """The whitespace-delimited word that starts at or after ``start``."""
    begin = start
    while begin < len(text) and text[begin] in _SEPARATORS:
        begin += 1
    stop = begin
    while stop < len(text) and stop - begin < _WORD_LIMIT and not text[stop].isspace():
        stop += 1
    return text[start:stop]


def _put(out: dict[str, str], name: str, raw: str) -> None:
    value = raw.strip().strip("'\"“”‘’`()[]{}:,;").rstrip(".").strip()
    value = value.removeprefix("#") if value[1:].isdigit() else value
    if value and len(value) <= 200 and "\n" not in value and name not in out:
        out[name] = value


def align(template: Template, query: Query) -> Alignment | None:
    """The heaviest chain of template literals found in order in the paste, or None."""
    pairs: list[tuple[int, int, float]] = []
    positions = query.positions
    for index, (item, weight) in enumerate(zip(template.items, template.weights, strict=True)):
        if weight > 0.0 and (places := positions.get(item.term)):
            pairs += [(q, index, weight) for q in places]
    if not pairs:
        return None
    pairs.sort()
    slots_before = template.slots_before
    # A chain that links two items over words of the message that the paste does not repeat pays for them, as
    # the ranking does (``GAP_PENALTY``), so that a common word far before (the ``error`` of ``1 error
    # occurred:``) does not pull a chain over the message's error code where a chain of its own words needs none.
    before = template.weight_before
    # For each template item: the latest chain ending at it, as (paste position, score, node index).
    last: dict[int, tuple[int, float, int]] = {}
    nodes: list[tuple[int, int, int]] = []  # (item, paste position, previous node or -1)
    scores: list[float] = []
    best_node = -1
    best_score = 0.0
    pending: list[tuple[int, tuple[int, float, int]]] = []
    current_q = -1
    for q, index, weight in pairs:
        if q != current_q:
            for item_index, value in pending:
                old = last.get(item_index)
                if old is None or value[1] >= old[1] or q - old[0] > SLOT_GAP * 2:
                    last[item_index] = value
            pending = []
            current_q = q
        score = weight
        previous = -1
        for j in range(max(0, index - MAX_SKIP), index):
            found = last.get(j)
            if found is None:
                continue
            allowed = (index - j) + NARROW_GAP + SLOT_GAP * (slots_before[index] - slots_before[j + 1])
            linked = found[1] + weight - GAP_PENALTY * (before[index] - before[j + 1])
            if q - found[0] <= allowed and linked > score:
                score = linked
                previous = found[2]
        nodes.append((index, q, previous))
        scores.append(score)
        node = len(nodes) - 1
        pending.append((index, (q, score, node)))
        if score > best_score:
            best_score, best_node = score, node
    chain: list[tuple[int, int]] = []
    node = best_node
    while node >= 0:
        item_index, q, node = nodes[node]
        chain.append((item_index, q))
    chain.reverse()
    return Alignment(template, sum(template.weights[item] for item, _ in chain), chain)
