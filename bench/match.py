"""Score the troubleshooter (and a plain BM25 over the same entries) on JSON Lines sets of pasted errors.

Each line of a ``--set`` is ``{"id", "query", "expected": ["FILE.md#anchor", …]}``; an empty ``expected``
marks an error that no section covers. An item's ``corpus`` field names the folder under ``--corpora`` its
labels refer to (``--default-corpus`` when absent, as in ``../shared/eval/dev.jsonl``, whose labels fall back
to ``--fallback`` for files the corpus lacks); a ``corpus`` of the form ``ibm-cloud-docs/NAME@COMMIT`` names the
folder ``NAME`` under ``--snapshots`` (default ``$TROUBLEDOCS_SNAPSHOTS``), a snapshot of another docs repository
exported at that commit; items whose snapshot is absent are skipped with a note. Its ``kind`` is read, or derived: ``synthetic`` (``syn-`` ids),
``uncovered`` (no label), ``real-ibm`` (notes start ``context: IBM``) or ``real-generic``.

Prints, per set, per ranker: top-1, top-3 and MRR on labelled items, the share of confident answers and how
many of them are right, the share of uncovered items answered "no confident match" — for all items, per kind
and per corpus; then the calibration curve of the confidence (precision and uncovered rejection per
threshold), the latency per query (median, p95) and the time of a 10 MB paste, both in CPU time of this
process (wall time says more about the other processes of a loaded machine than about the matcher)::

    .venv/bin/python bench/match.py --set ../shared/eval/dev.jsonl \\
        --set tests/data/pastes/tune.jsonl --set tests/data/pastes/frozen.jsonl
    TROUBLEDOCS_SNAPSHOTS=/work/ext/snapshots .venv/bin/python bench/match.py \\
        --set tests/data/pastes/external-tune.jsonl --set tests/data/pastes/external-frozen.jsonl

``--envelopes`` also ranks each real paste of a message (at most three lines) wrapped in the envelopes of IBM
Cloud tools (the ``ibmcloud`` CLI's FAILED block, an API error body, Terraform's errors, a console footer):
top-1 per envelope next to the bare paste, for the troubleshooter and BM25.

``--leave-out`` also ranks each labelled real paste (not synthetic) against its index without the sections it
is labelled with, as if the docs did not cover it: every confident answer then is wrong (or names another
section that documents the same message), a check of the confidence on hard negatives that no tuning set
holds. It prints, per set and threshold, how many such pastes are still answered with confidence.

``--calibrate SET`` (repeatable, tuning parts only) fits the confidence threshold leaving one product out at a
time and prints how the fitted and the matcher's own threshold do on the product left out.
    .venv/bin/python bench/match.py --index site/assets/troubleshooter/index.json.gz --set FILE
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
import json
import math
import os
from pathlib import Path
import re
import statistics
import time
from typing import Any

from troubleshooter import Matcher
from troubleshooter.model import index_text
from troubleshooter.rank import CONFIDENT

Ranker = Callable[[str], tuple[list[str], float | None]]
_WORD = re.compile(r"[a-z0-9]+")
_SNAPSHOT = re.compile(r"[\w.-]+/([\w.-]+)@[0-9a-f]{40}")
KINDS = ("real-ibm", "real-generic", "prose", "uncovered", "synthetic")
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


class BM25:
    """Plain BM25 over each section's text: lower-cased words, no templates, no confidence."""

    def __init__(self, entries: list[dict[str, Any]], k1: float = 1.2, b: float = 0.75) -> None:
        self.keys = [f"{e['page']}#{e['anchor']}" for e in entries]
        docs = []
        for e in entries:
            text = " ".join(
                [e.get("title", ""), e.get("symptom", ""), *e.get("errors", []), e.get("cause", "")]
            )
            docs.append(_WORD.findall((text + " " + e.get("resolution", "")).lower()))
        self.k1, self.b = k1, b
        self.lengths = [len(d) for d in docs]
        self.average = sum(self.lengths) / max(1, len(docs))
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for index, doc in enumerate(docs):
            counts: dict[str, int] = {}
            for word in doc:
                counts[word] = counts.get(word, 0) + 1
            for word, count in counts.items():
                self.postings.setdefault(word, []).append((index, count))
        self.n = len(docs)

    def rank(self, query: str) -> tuple[list[str], float | None]:
        scores: dict[int, float] = {}
        for word in set(_WORD.findall(query.lower())):
            posting = self.postings.get(word)
            if not posting:
                continue
            idf = math.log(1 + (self.n - len(posting) + 0.5) / (len(posting) + 0.5))
            for index, count in posting:
                norm = 1 - self.b + self.b * self.lengths[index] / self.average
                scores[index] = scores.get(index, 0.0) + idf * count * (self.k1 + 1) / (
                    count + self.k1 * norm
                )
        ranked = sorted(scores, key=lambda i: -scores[i])[:10]
        return [self.keys[i] for i in ranked], None


def ours(matcher: Matcher) -> Ranker:
    def rank(query: str) -> tuple[list[str], float | None]:
        answer = matcher.match(query, top=10)
        keys = [f"{m.section.page}#{m.section.anchor}" for m in answer.matches]
        return keys, answer.confidence

    return rank


def kind_of(item: dict[str, Any]) -> str:
    if "kind" in item:
        return str(item["kind"])
    if str(item["id"]).startswith("syn"):
        return "synthetic"
    if not item["expected"]:
        return "uncovered"
    return "real-ibm" if str(item.get("notes", "")).startswith("context: IBM") else "real-generic"


def evaluate(items: list[dict[str, Any]], rank: Ranker) -> tuple[list[dict[str, Any]], list[float]]:
    """One row per item (position of the first right answer, confidence) and the time of each query."""
    rows: list[dict[str, Any]] = []
    times: list[float] = []
    for item in items:
        start = time.process_time()
        keys, confidence = rank(item["query"])
        times.append((time.process_time() - start) * 1000)
        expected = set(item["expected"])
        position = next((i + 1 for i, k in enumerate(keys) if k in expected), None)
        rows.append(
            {
                "id": item["id"],
                "kind": item["kind"],
                "corpus": item["corpus"],
                "covered": bool(expected),
                "position": position,
                "confidence": confidence,
                "top": keys[0] if keys else None,
            }
        )
    return rows, times


def figures(rows: list[dict[str, Any]], threshold: float = CONFIDENT) -> dict[str, str]:
    covered = [r for r in rows if r["covered"]]
    uncovered = [r for r in rows if not r["covered"]]
    out = {"n": f"{len(covered)}+{len(uncovered)}"}
    scored = rows and rows[0]["confidence"] is not None
    if covered:
        out["top1"] = f"{sum(r['position'] == 1 for r in covered) / len(covered):.3f}"
        out["top3"] = f"{sum((r['position'] or 99) <= 3 for r in covered) / len(covered):.3f}"
        out["mrr"] = f"{sum(1 / r['position'] for r in covered if r['position']) / len(covered):.3f}"
        if scored:
            out["conf+"] = f"{sum(r['confidence'] >= threshold for r in covered) / len(covered):.3f}"
    if scored:
        sure = [r for r in rows if r["confidence"] >= threshold]
        if sure:
            right = sum(r["position"] == 1 for r in sure)
            out["right"] = f"{right}/{len(sure)}"
        if uncovered:
            rejected = sum(r["confidence"] < threshold for r in uncovered)
            out["no-match"] = f"{rejected / len(uncovered):.3f}"
    return out


def print_table(name: str, results: dict[str, list[dict[str, Any]]]) -> None:
    header = ["set", "ranker", "group", "n (lab+unc)", "top1", "top3", "mrr", "confident on lab"]
    header += ["right when confident", "no-match on unc"]
    print(f"\n### {name}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for ranker, rows in results.items():
        groups: dict[str, list[dict[str, Any]]] = {"all": rows}
        for kind in KINDS:
            groups[f"kind {kind}"] = [r for r in rows if r["kind"] == kind]
        for corpus in sorted({r["corpus"] for r in rows}):
            snapshot = _SNAPSHOT.fullmatch(corpus)
            groups[f"corpus {snapshot.group(1) if snapshot else corpus}"] = [
                r for r in rows if r["corpus"] == corpus
            ]
        for group, members in groups.items():
            if not members:
                continue
            f = figures(members)
            cells = [name, ranker, group, f["n"], f.get("top1", "-"), f.get("top3", "-"), f.get("mrr", "-")]
            cells += [f.get("conf+", "n/a"), f.get("right", "n/a"), f.get("no-match", "n/a")]
            print("| " + " | ".join(cells) + " |")


def print_leave_out(
    name: str, items: list[dict[str, Any]], matcher_of: Callable[[dict[str, Any]], Matcher]
) -> None:
    """Confidence on the labelled real pastes of a set with their expected sections left out of the index."""
    chosen = [item for item in items if item["expected"] and item["kind"] != "synthetic"]
    if not chosen:
        return
    confidences = []
    for item in chosen:
        sections = matcher_of(item).sections
        expected = set(item["expected"])
        rest = [s for s in sections if f"{s.page}#{s.anchor}" not in expected]
        confidences.append(Matcher(rest).match(item["query"], top=1).confidence)
    print(f"\nleft out ({name}, {len(chosen)} labelled real pastes without their sections): confident at")
    print("  " + "; ".join(f"≥ {t:.1f}: {sum(c >= t for c in confidences)}" for t in THRESHOLDS))


def print_calibration(name: str, rows: list[dict[str, Any]]) -> None:
    """Precision of confident answers and rejection of uncovered pastes for each confidence threshold."""
    print(f"\ncalibration ({name}): threshold → confident answers right / confident, no-match on uncovered")
    uncovered = [r for r in rows if not r["covered"]]
    for threshold in THRESHOLDS:
        sure = [r for r in rows if r["confidence"] >= threshold]
        right = sum(r["position"] == 1 for r in sure)
        precision = f"{right / len(sure):.3f}" if sure else "-"
        rejected = sum(r["confidence"] < threshold for r in uncovered)
        rejection = f"{rejected / len(uncovered):.3f}" if uncovered else "-"
        print(f"  ≥ {threshold:.1f}: {right}/{len(sure)} = {precision}; no-match {rejection}")


#: Thresholds tried when fitting the confidence on the other products; the precision asked for.
GRID = tuple(round(0.3 + 0.05 * n, 2) for n in range(14))
TARGET_PRECISION = 0.95


def fit_threshold(rows: list[dict[str, Any]]) -> float:
    """The lowest threshold at which the confident answers of ``rows`` are right ``TARGET_PRECISION`` of the
    time (the highest tried when none is)."""
    for threshold in GRID:
        sure = [r for r in rows if r["confidence"] >= threshold]
        if sure and sum(r["position"] == 1 for r in sure) >= TARGET_PRECISION * len(sure):
            return threshold
    return GRID[-1]


def print_cross_validation(rows: list[dict[str, Any]]) -> None:
    """Leave one product out: fit the threshold on the other products' rows, judge it on the product's."""
    print(
        f"\nconfidence threshold, leave one product out (fitted for precision ≥ {TARGET_PRECISION} on the "
        f"others; the matcher's own threshold is {CONFIDENT})"
    )
    print(
        "| held-out product | threshold fitted | right when confident | no-match on unc | own: right | own: no-match |"
    )
    print("|---|---|---|---|---|---|")
    pooled: list[dict[str, Any]] = []
    for corpus in sorted({r["corpus"] for r in rows}):
        held = [r for r in rows if r["corpus"] == corpus]
        threshold = fit_threshold([r for r in rows if r["corpus"] != corpus])
        fitted, own = figures(held, threshold), figures(held)
        pooled.extend({**r, "confidence": r["confidence"] - threshold + CONFIDENT} for r in held)
        snapshot = _SNAPSHOT.fullmatch(corpus)
        cells = [snapshot.group(1) if snapshot else corpus, f"{threshold:.2f}"]
        cells += [fitted.get("right", "-"), fitted.get("no-match", "-"), own.get("right", "-")]
        cells.append(own.get("no-match", "-"))
        print("| " + " | ".join(cells) + " |")
    total = figures(pooled)
    print(
        f"pooled held-out: right when confident {total.get('right', '-')}, no-match {total.get('no-match', '-')}"
    )


#: The envelopes in which IBM Cloud tools print a message (``{m}``: the message; ``{j}``: the message as a JSON
#: string): the ``ibmcloud`` CLI's FAILED block, an API error body, the Terraform provider's errors (an IKS
#: ``ServerErrorResponse``, a VPC response dumped with its headers) and a console message with its footer.
ENVELOPES = {
    "ibmcloud CLI": "$ ibmcloud ks cluster config --cluster mycluster\nFAILED\n{m}\n\n"
    "Incident ID: 4f1a2b3c-1111-2222-3333-444455556666",
    "API JSON body": '{{"incidentID":"40d606eb-99bb-42b6-9731-8a3597be17c3","code":"E3b5b","description":"{j}",'
    '"type":"General","more_info":"https://cloud.ibm.com/docs/containers?topic=containers-ts"}}',
    "Terraform IKS": "╷\n│ Error: Request failed with status code: 409, ServerErrorResponse: "
    '{{"incidentID":"c76bb2d5-b4f2-4e81-9ed4-7a3e59b30255","code":"E43b6","description":"{j}","type":"General"}}'
    "\n│ \n│   with ibm_container_worker_pool.workerpool,\n"
    '│   on main.tf line 38, in resource "ibm_container_worker_pool" "workerpool":\n'
    '│   38: resource "ibm_container_worker_pool" "workerpool" {{\n│ \n╵',
    "Terraform VPC": '╷\n│ Error: Request failed with: {{"StatusCode":400,"Headers":{{"Cache-Control":["max-age=0, '
    'no-cache, no-store, must-revalidate"],"Content-Type":["application/json"],"Strict-Transport-Security":'
    '["max-age=31536000; includeSubDomains"],"Transaction-Id":["3b7c9d2e1f"]}},"Result":{{"errors":[{{"code":'
    '"validation_failed","message":"{j}","more_info":"https://cloud.ibm.com/docs/vpc?topic=vpc-rias-error-messages"'
    '}}],"trace":"0a1b2c3d4e5f"}},"RawResult":null}}\n│ \n╵',
    "console": "{m}\nTransaction ID: 1234abcd-5678-90ef-aaaa-bbbbccccdddd\n"
    "For troubleshooting information visit: https://cloud.ibm.com/docs/containers?topic=containers-cs_troubleshoot",
}
#: Longest paste (in lines) that is wrapped: a message, not a log (a tool does not wrap a log in its envelope).
ENVELOPE_LINES = 3


def print_envelopes(name: str, items: list[dict[str, Any]], rankers: Callable[[dict[str, Any]], Any]) -> None:
    """Top-1 of the real pastes of a message (not prose, not logs), bare and in each IBM Cloud envelope: what
    the envelope's words, keys, ids and links cost, for the troubleshooter and BM25."""
    chosen = [
        item
        for item in items
        if item["expected"]
        and item["kind"] in ("real-ibm", "real-generic")
        and len([line for line in item["query"].splitlines() if line.strip()]) <= ENVELOPE_LINES
    ]
    if not chosen:
        return
    print(f"\nenvelopes ({name}, {len(chosen)} real pastes of a message): top-1, troubleshooter / BM25")
    print("| envelope | troubleshooter top1 | confident and right | bm25 top1 |")
    print("|---|---|---|---|")
    for envelope in ("bare", *ENVELOPES):
        right = sure = plain = 0
        for item in chosen:
            message = item["query"]
            paste = (
                message
                if envelope == "bare"
                else ENVELOPES[envelope].format(m=message, j=json.dumps(message)[1:-1])
            )
            matcher, bm25 = rankers(item)
            answer = matcher.match(paste, top=1)
            first = [f"{m.section.page}#{m.section.anchor}" for m in answer.matches[:1]]
            right += bool(first) and first[0] in item["expected"]
            sure += bool(first) and first[0] in item["expected"] and answer.confident
            keys, _ = bm25.rank(paste)
            plain += bool(keys) and keys[0] in item["expected"]
        n = len(chosen)
        print(f"| {envelope} | {right / n:.3f} | {sure / n:.3f} | {plain / n:.3f} |")


def build_index(corpus: Path, fallback: Path | None) -> str:
    from troubledocs.repository.index import dumps_index, index_folder

    return dumps_index(index_folder(corpus, fallback=fallback))


def read_set(path: Path, default_corpus: str, fallback: str | None) -> list[dict[str, Any]]:
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for item in items:
        item["kind"] = kind_of(item)
        if "corpus" not in item:
            item["corpus"] = default_corpus
            item["fallback"] = fallback
    return items


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", help="one index JSON file for every item (instead of --corpora)")
    parser.add_argument("--corpora", default="../shared/corpus", help="folder of the docs corpora")
    parser.add_argument("--default-corpus", default="containers", help="corpus of items without one")
    parser.add_argument("--fallback", default="openshift", help="fallback corpus of those items")
    parser.add_argument(
        "--snapshots",
        default=os.environ.get("TROUBLEDOCS_SNAPSHOTS"),
        help="folder of docs snapshots for items whose corpus is OWNER/NAME@COMMIT",
    )
    parser.add_argument("--set", action="append", required=True, help="JSON Lines set (repeatable)")
    parser.add_argument("--misses", action="store_true", help="list the items each ranker gets wrong")
    parser.add_argument(
        "--envelopes",
        action="store_true",
        help="also rank each real paste of a message wrapped in the envelopes of IBM Cloud tools",
    )
    parser.add_argument(
        "--leave-out",
        action="store_true",
        help="also rank each labelled real paste against its index without its expected sections",
    )
    parser.add_argument(
        "--calibrate",
        action="append",
        default=[],
        metavar="SET",
        help="name (file stem) of a --set whose items fit the confidence threshold, one product left out at "
        "a time (repeatable; never a held-out part)",
    )
    args = parser.parse_args()

    corpora = Path(args.corpora)

    def corpus_folder(name: str) -> Path | None:
        snapshot = _SNAPSHOT.fullmatch(name)
        if not snapshot:
            return corpora / name
        folder = Path(args.snapshots or "") / snapshot.group(1)
        return folder if args.snapshots and folder.is_dir() else None

    matchers: dict[tuple[str, str | None], tuple[Matcher, BM25]] = {}

    def rankers_for(item: dict[str, Any]) -> tuple[Matcher, BM25]:
        key = (item["corpus"], item.get("fallback"))
        if key not in matchers:
            start = time.perf_counter()
            if args.index:
                text = index_text(Path(args.index).read_bytes())
            else:
                folder = corpus_folder(key[0])
                assert folder is not None
                text = build_index(folder, corpora / key[1] if key[1] else None)
            built = time.perf_counter() - start
            start = time.perf_counter()
            matcher = Matcher.from_json(text)
            load = (time.perf_counter() - start) * 1000
            entries = json.loads(text)["entries"]
            print(
                f"index {args.index or key[0]}{' + ' + key[1] if key[1] and not args.index else ''}: "
                f"{len(entries)} sections, {len(text.encode('utf-8')):,} bytes JSON; "
                f"built/read in {built:.1f} s, matcher loaded in {load:.0f} ms"
            )
            matchers[key] = (matcher, BM25(entries))
        return matchers[key]

    latencies: list[str] = []
    all_rows: list[dict[str, Any]] = []
    for set_path in map(Path, args.set):
        items = read_set(set_path, args.default_corpus, args.fallback)
        absent = sorted({i["corpus"] for i in items if not args.index and corpus_folder(i["corpus"]) is None})
        if absent:
            print(
                f"\n{set_path.stem}: skipped the items of {', '.join(absent)} (no snapshot under --snapshots)"
            )
            items = [i for i in items if i["corpus"] not in absent]
        name = set_path.stem
        results: dict[str, list[dict[str, Any]]] = {"troubleshooter": [], "bm25": []}
        times: dict[str, list[float]] = {"troubleshooter": [], "bm25": []}
        for item in items:
            matcher, bm25 = rankers_for(item)
            for ranker, rank in (("troubleshooter", ours(matcher)), ("bm25", bm25.rank)):
                rows, spent = evaluate([item], rank)
                results[ranker].extend(rows)
                times[ranker].extend(spent)
        print_table(name, results)
        print_calibration(name, results["troubleshooter"])
        if args.envelopes:
            print_envelopes(name, items, rankers_for)
        if args.leave_out:
            print_leave_out(name, items, lambda item: rankers_for(item)[0])
        if name in args.calibrate:
            all_rows.extend(results["troubleshooter"])
        for ranker, spent in times.items():
            ordered = sorted(spent)
            p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
            latencies.append(
                f"latency {name} {ranker} (CPU): median {statistics.median(ordered):.2f} ms, p95 {p95:.2f} ms"
            )
        if args.misses:
            for row in results["troubleshooter"]:
                wrong = row["covered"] and row["position"] != 1
                if wrong or (not row["covered"] and row["confidence"] >= CONFIDENT):
                    print(
                        f"   miss {name}: {row['id']} ({row['kind']}) position={row['position']} "
                        f"confidence={row['confidence']:.2f} top={row['top']}"
                    )
    if all_rows:
        print_cross_validation(all_rows)
    print()
    print("\n".join(latencies))
    matcher = next(iter(matchers.values()))[0]
    big = ("Error: something went wrong 0x1f " * 40) * 8000
    start = time.process_time()
    answer = matcher.match(big + "\nError: x509: certificate signed by unknown authority")
    spent = (time.process_time() - start) * 1000
    print(f"10 MB paste ({len(big) / 1e6:.1f} MB): {spent:.0f} ms CPU; notice: {answer.notice}")


if __name__ == "__main__":
    main()
