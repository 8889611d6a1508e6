"""The troubleshooter's worker driven through its message protocol (and the widget's client), in Chromium.

The worker is the one the widget started on the seed site's ``troubleshooter/`` page (the site's own
``assets/troubleshooter/worker.mjs``, booted with the real matcher and index). Requests carry string ids, which
the widget never uses, so its own bookkeeping ignores the replies.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browser_harness import WIDGET, Tab, concrete, error_anchors
import pytest

pytestmark = pytest.mark.browser

REPLY_TIMEOUT_MS = 60_000
LONG_TASK_MS = 200
BIG_QUERY_CHARS = 10 * 1024 * 1024

# Post ``messages`` to the widget's worker and collect the replies to their ids, in arrival order (what has
# arrived when the timeout passes, so that a lost reply shows as missing rather than as a hang).
ASK_JS = """
async ([messages, timeoutMs]) => {
  const worker = globalThis.troubleshooterClient.worker;
  const wanted = new Set(messages.filter((m) => m && typeof m === "object").map((m) => m.id));
  const replies = [];
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      worker.removeEventListener("message", listen);
      resolve(replies);
    };
    const listen = (event) => {
      if (event.data && wanted.has(event.data.id)) replies.push(event.data);
      if (replies.length >= wanted.size) done();
    };
    const timer = setTimeout(done, timeoutMs);
    worker.addEventListener("message", listen);
    for (const message of messages) worker.postMessage(message);
  });
}
"""

# Match a ~10 MB paste (log noise, then the error) through the widget's client, as a paste would be, while a
# PerformanceObserver records the page's long tasks; then block the main thread once on purpose, to show that
# the observer sees a long task when there is one.
BIG_QUERY_JS = """
async ([error, chars, timeoutMs]) => {
  const tasks = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, duration: entry.duration });
  });
  observer.observe({ type: "longtask" });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
  // One flat string, as the clipboard gives a paste (a string of repeat() and + would be flattened later,
  // on the widget's time).
  const line = new TextEncoder().encode(
    "2026-11-24T23:41:07Z INFO kubelet[4242]: pod sync ok request-id=4f1c9e9 node=10.176.48.3\\n");
  const tail = new TextEncoder().encode(error);
  const lines = Math.ceil(chars / line.length);
  const bytes = new Uint8Array(lines * line.length + tail.length);
  for (let i = 0; i < lines; i += 1) bytes.set(line, i * line.length);
  bytes.set(tail, lines * line.length);
  const query = new TextDecoder().decode(bytes);
  await settle();
  const started = performance.now();
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), timeoutMs));
  const answer = await Promise.race([globalThis.troubleshooterClient.match(query, ""), timeout]);
  const answered = performance.now();
  await settle();
  const blockedAt = performance.now();
  while (performance.now() - blockedAt < 300) {}  // the control: one long task on purpose
  await settle();
  observer.disconnect();
  return { answer, chars: query.length, started, answered, blockedAt, tasks };
}
"""


def ask(tab: Tab, *messages: Any) -> list[dict[str, Any]]:
    replies: list[dict[str, Any]] = tab.page.evaluate(ASK_JS, [list(messages), REPLY_TIMEOUT_MS])
    return replies


def match(ident: str, query: Any, top: Any = 5) -> dict[str, Any]:
    return {"type": "match", "id": ident, "query": query, "top": top}


def top_anchor(reply: dict[str, Any]) -> str:
    assert reply["type"] == "result", reply
    return first_anchor(reply["answer"], reply["id"])


def first_anchor(answer: dict[str, Any], request: str) -> str:
    matches = answer["matches"]
    assert matches, f"no match for request {request}"
    url: str = matches[0]["url"]
    return url.rsplit("#", 1)[-1]


def two_errors(site: Path) -> list[tuple[str, set[str]]]:
    """Two errors of the seed whose sections differ, so that swapped answers would show."""
    chosen: list[tuple[str, set[str]]] = []
    for error, anchors in sorted(error_anchors(site).items()):
        if all(anchors.isdisjoint(other) for _, other in chosen):
            chosen.append((error, anchors))
        if len(chosen) == 2:
            return chosen
    pytest.fail("the seed index has no two errors of different sections")


@pytest.mark.parametrize(
    ("bad", "python_error"),
    [
        (match("bad-top", "any error", top="many"), "ValueError"),  # int("many")
        (match("bad-query", 42), "TypeError"),  # the matcher is given an int, not text
        (match("no-query", None), "TypeError"),
    ],
    ids=["top-not-a-number", "query-not-text", "query-missing"],
)
def test_the_worker_survives_a_python_exception_and_answers_the_next_query(
    ready_tab: Tab, seed_site: Path, bad: dict[str, Any], python_error: str
) -> None:
    (error, anchors), _ = two_errors(seed_site)
    replies = ask(ready_tab, bad, match("after", concrete(error, 1)))
    assert [reply["id"] for reply in replies] == [bad["id"], "after"], replies
    failed, answered = replies
    assert failed["type"] == "error"
    assert python_error in failed["message"], failed["message"]
    assert top_anchor(answered) in anchors
    # The widget's own state is untouched by a request that was not its own.
    assert ready_tab.page.locator(WIDGET).get_attribute("data-state") == "ready"


def test_malformed_messages_get_an_error_and_the_worker_keeps_answering(
    ready_tab: Tab, seed_site: Path
) -> None:
    (error, anchors), _ = two_errors(seed_site)
    unknown = {"type": "frobnicate", "id": "unknown"}
    # Not objects: their errors carry the null id, which is no pending request of the widget.
    replies = ask(ready_tab, "not an object", None, 7, unknown, match("after", concrete(error, 2)))
    assert [reply["id"] for reply in replies] == ["unknown", "after"], replies
    assert replies[0]["type"] == "error" and "frobnicate" in replies[0]["message"]
    assert top_anchor(replies[1]) in anchors
    assert ready_tab.page.locator(WIDGET).get_attribute("data-state") == "ready"
    # The widget still answers a paste.
    ready_tab.answer(concrete(error, 3))
    assert ready_tab.page.locator(f"{WIDGET} [data-troubleshooter-result]").count() >= 1


def test_a_match_before_init_is_an_error_with_its_id(ready_tab: Tab) -> None:
    reply = ready_tab.page.evaluate(
        """async () => {
          const worker = new Worker(new URL("../assets/troubleshooter/worker.mjs", location.href), { type: "module" });
          const reply = await new Promise((resolve) => {
            worker.addEventListener("message", (event) => resolve(event.data));
            worker.postMessage({ type: "match", id: "early", query: "x", top: 5 });
          });
          worker.terminate();
          return reply;
        }"""
    )
    assert reply == {"type": "error", "id": "early", "message": "the worker was asked to match before init"}


def test_concurrent_queries_get_their_own_answers(ready_tab: Tab, seed_site: Path) -> None:
    (first, first_anchors), (second, second_anchors) = two_errors(seed_site)
    requests = [
        match("q1", concrete(first, 4)),
        match("q2", concrete(second, 5)),
        match("q3", concrete(first, 6)),
        match("q4", concrete(second, 7)),
    ]
    replies = ask(ready_tab, *requests)
    by_id: dict[str, list[dict[str, Any]]] = {}
    for reply in replies:
        by_id.setdefault(reply["id"], []).append(reply)
    assert sorted(by_id) == ["q1", "q2", "q3", "q4"], f"lost or extra replies: {replies}"
    assert all(len(group) == 1 for group in by_id.values()), replies
    for ident, anchors in (
        ("q1", first_anchors),
        ("q2", second_anchors),
        ("q3", first_anchors),
        ("q4", second_anchors),
    ):
        assert top_anchor(by_id[ident][0]) in anchors, f"{ident} got another query's answer"


def test_a_query_sent_in_slices_is_answered_as_the_whole_query(ready_tab: Tab, seed_site: Path) -> None:
    (error, anchors), _ = two_errors(seed_site)
    query = concrete(error, 9)
    cut = len(query) // 2
    replies = ask(
        ready_tab,
        {"type": "match", "id": "sliced", "query": query[:cut], "more": True},
        match("sliced", query[cut:]),
        {"type": "match", "id": "bad-slice", "query": 42, "more": True},
        match("bad-slice", "text"),
        match("whole", query),
    )
    by_id = {reply["id"]: reply for reply in replies}
    assert sorted(by_id) == ["bad-slice", "sliced", "whole"], replies
    assert top_anchor(by_id["sliced"]) in anchors
    assert by_id["sliced"]["answer"] == by_id["whole"]["answer"]
    assert by_id["bad-slice"]["type"] == "error"
    assert "must be text" in by_id["bad-slice"]["message"]


def test_a_10_mb_query_is_answered_without_blocking_the_page(ready_tab: Tab, seed_site: Path) -> None:
    (error, anchors), _ = two_errors(seed_site)
    run = ready_tab.page.evaluate(BIG_QUERY_JS, [concrete(error, 8), BIG_QUERY_CHARS, REPLY_TIMEOUT_MS])
    assert run["chars"] >= BIG_QUERY_CHARS
    assert run["answer"] is not None, (
        f"no answer to a {run['chars']:,}-character query in {REPLY_TIMEOUT_MS} ms"
    )
    assert first_anchor(run["answer"], "the 10 MB query") in anchors
    assert run["answer"]["notice"], "the matcher did not say that it cut the paste"
    during = [
        t
        for t in run["tasks"]
        if t["start"] < run["answered"] and t["start"] + t["duration"] > run["started"]
    ]
    blocking = [t for t in during if t["duration"] > LONG_TASK_MS]
    assert not blocking, f"the page's main thread was blocked while the worker matched: {blocking}"
    # The observer works: it saw the control task, the long task in which the control's busy loop began (the task
    # starts before the loop reads the clock: on a loaded machine, more than a millisecond before).
    control = [
        t
        for t in run["tasks"]
        if t["start"] <= run["blockedAt"] <= t["start"] + t["duration"] and t["duration"] >= 250
    ]
    assert control, f"the long-task observer missed the 300 ms control task: {run['tasks']}"
