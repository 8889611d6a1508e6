"""Score the troubleshooter (and a plain BM25 baseline) on a JSON Lines set of pasted errors.

Each line of ``--set`` is ``{"id", "query", "expected": ["FILE.md#anchor", …]}``; an empty ``expected``
marks an error that no section covers. Prints top-1, top-3 and MRR on labelled items, the share of
uncovered items answered "no confident match", latency per query, load time and index size::

    .venv/bin/python bench/match.py --corpus ../shared/corpus/containers \\
        --fallback ../shared/corpus/openshift --set ../shared/eval/dev.jsonl
    .venv/bin/python bench/match.py --index site/assets/troubleshooter/index.json.gz --set FILE
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
import json
import math
from pathlib import Path
import re
import statistics
import time
from typing import Any

from troubleshooter import Matcher
from troubleshooter.model import index_text

Ranker = Callable[[str], tuple[list[str], bool | None]]
_WORD = re.compile(r"[a-z0-9]+")


def load_index(args: argparse.Namespace) -> str:
    """The index JSON text: read from ``--index`` or built from ``--corpus`` with the real renderer."""
    if args.index:
        return index_text(Path(args.index).read_bytes())
    from troubledocs.index import dumps_index, index_folder

    fallback = Path(args.fallback) if args.fallback else None
    return dumps_index(index_folder(Path(args.corpus), fallback=fallback))


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

    def rank(self, query: str) -> tuple[list[str], bool | None]:
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
    def rank(query: str) -> tuple[list[str], bool | None]:
        answer = matcher.match(query, top=10)
        return [f"{m.section.page}#{m.section.anchor}" for m in answer.matches], answer.confident

    return rank


def evaluate(items: list[dict[str, Any]], rank: Ranker) -> dict[str, Any]:
    """Quality and latency of one ranker over the set, per group (real, synthetic, all)."""
    rows: list[dict[str, Any]] = []
    times: list[float] = []
    for item in items:
        start = time.perf_counter()
        keys, confident = rank(item["query"])
        times.append((time.perf_counter() - start) * 1000)
        expected = set(item["expected"])
        position = next((i + 1 for i, k in enumerate(keys) if k in expected), None)
        rows.append(
            {"id": item["id"], "covered": bool(expected), "position": position, "confident": confident}
        )
    result: dict[str, Any] = {"rows": rows}
    ordered = sorted(times)
    result["median_ms"] = statistics.median(ordered)
    result["p95_ms"] = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return result


def figures(rows: list[dict[str, Any]]) -> dict[str, str]:
    covered = [r for r in rows if r["covered"]]
    uncovered = [r for r in rows if not r["covered"]]
    out = {"n": f"{len(covered)}+{len(uncovered)}"}
    if covered:
        out["top1"] = f"{sum(r['position'] == 1 for r in covered) / len(covered):.3f}"
        out["top3"] = f"{sum((r['position'] or 99) <= 3 for r in covered) / len(covered):.3f}"
        out["mrr"] = f"{sum(1 / r['position'] for r in covered if r['position']) / len(covered):.3f}"
        if covered[0]["confident"] is not None:
            sure = [r for r in covered if r["confident"]]
            out["conf+"] = f"{len(sure) / len(covered):.3f}"
            if sure:
                out["right"] = f"{sum(r['position'] == 1 for r in sure) / len(sure):.3f}"
    if uncovered and uncovered[0]["confident"] is not None:
        out["no-match"] = f"{sum(not r['confident'] for r in uncovered) / len(uncovered):.3f}"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--index", help="an index JSON file")
    source.add_argument("--corpus", help="a docs folder to index with the real renderer")
    parser.add_argument("--fallback", help="folder that fills in files the corpus lacks")
    parser.add_argument("--set", required=True, help="JSON Lines set of {id, query, expected}")
    parser.add_argument("--misses", action="store_true", help="list the items each ranker gets wrong")
    args = parser.parse_args()

    text = load_index(args)
    items = [
        json.loads(line) for line in Path(args.set).read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    start = time.perf_counter()
    matcher = Matcher.from_json(text)
    load_ms = (time.perf_counter() - start) * 1000
    entries = json.loads(text)["entries"]
    rankers = {"troubleshooter": ours(matcher), "bm25": BM25(entries).rank}

    print(
        f"index: {len(entries)} sections, {len(text.encode('utf-8')):,} bytes; matcher load {load_ms:.0f} ms"
    )
    header = ["ranker", "group", "n (lab+unc)", "top1", "top3", "mrr", "confident on lab"]
    header += ["top1 when confident", "no-match on unc"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    latencies = []
    for name, rank in rankers.items():
        result = evaluate(items, rank)
        latencies.append((name, result["median_ms"], result["p95_ms"]))
        groups = {
            "real": [r for r in result["rows"] if r["id"].startswith("real")],
            "synthetic": [r for r in result["rows"] if not r["id"].startswith("real")],
            "all": result["rows"],
        }
        for group, rows in groups.items():
            f = figures(rows)
            cells = [name, group, f["n"], f.get("top1", "-"), f.get("top3", "-"), f.get("mrr", "-")]
            cells += [f.get("conf+", "n/a"), f.get("right", "n/a"), f.get("no-match", "n/a")]
            print("| " + " | ".join(cells) + " |")
        if args.misses:
            for row in result["rows"]:
                wrong = row["covered"] and row["position"] != 1
                if wrong or (not row["covered"] and row["confident"]):
                    print(
                        f"   miss {name}: {row['id']} position={row['position']} confident={row['confident']}"
                    )
    print()
    for name, median, p95 in latencies:
        print(f"latency {name}: median {median:.2f} ms, p95 {p95:.2f} ms per query")
    big = ("Error: something went wrong 0x1f " * 40) * 8000
    start = time.perf_counter()
    answer = matcher.match(big + items[0]["query"])
    print(
        f"10 MB paste ({len(big) / 1e6:.1f} MB): {(time.perf_counter() - start) * 1000:.0f} ms; notice: {answer.notice}"
    )


if __name__ == "__main__":
    main()
