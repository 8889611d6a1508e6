"""The matcher on the kinds of paste that issue 12 lists, each against small docs of its own.

Boilerplate lines (documentation URLs, CLI footers, generic status lines, progress lines) never decide;
a specific section wins over its general sibling only when the paste says what makes it specific; prose
reports find the section whose symptom they describe; every error-like block of a symptom is read; a long log
counts whole; a captured value never runs past its slot.
"""

from __future__ import annotations

from troubleshooter import Matcher, Section
from troubleshooter.boilerplate import is_boilerplate
from troubleshooter.excerpt import MAX_CHARS, excerpt
from troubleshooter.rank import PARTIAL_RUNNER_UP_GAP, is_prose
from troubleshooter.tables import template_texts
from troubleshooter.terms import compound_parts, singular, stem, tokenize


def _section(anchor: str, title: str, *errors: str, symptom: str = "", resolution: str = "") -> Section:
    return Section(
        page=f"ts-{anchor}.md",
        anchor=anchor,
        title=title,
        url=f"ts-{anchor}/#{anchor}",
        symptom=symptom,
        errors=errors,
        resolution=resolution,
    )


def _top(matcher: Matcher, paste: str) -> str:
    matches = matcher.match(paste).matches
    return matches[0].section.anchor if matches else ""


RBAC = _section(
    "rbac",
    "Why can't my service account list pods?",
    'pods is forbidden: User "system:serviceaccount:<namespace>:<name>" cannot list resource "pods" in API '
    'group "" at the cluster scope',
)
LOG_SECTIONS = [
    RBAC,
    _section("dns", "Why do lookups time out?", "dial udp 172.21.0.10:53: i/o timeout"),
    _section("oom", "Why is my pod OOMKilled?", "Last State: Terminated Reason: OOMKilled Exit Code: 137"),
]
NOISE = "".join(
    f"2024-05-01T12:{n // 60 % 60:02d}:{n % 60:02d}Z INFO reconciler: synced {n} objects in {n % 7} ms\n"
    for n in range(4000)
)
RBAC_LINE = (
    'E0501 12:00:00.000 1 reflector.go:138] pods is forbidden: User "system:serviceaccount:ops:agent" '
    'cannot list resource "pods" in API group "" at the cluster scope\n'
)


def test_a_long_log_that_ends_with_the_failure_finds_it() -> None:
    matcher = Matcher(LOG_SECTIONS)
    paste = NOISE * 2 + RBAC_LINE
    assert len(paste) > 300_000
    answer = matcher.match(paste)
    assert answer.matches[0].section.anchor == "rbac" and answer.confident
    assert answer.notice is not None and "error line" in answer.notice


def test_an_error_in_the_middle_of_a_long_log_counts() -> None:
    matcher = Matcher(LOG_SECTIONS)
    # Repeated warnings fill the log; the RBAC error sits once in the middle, far from the head and tail.
    warnings = "W0501 12:00:00.000 1 client.go:10] warning: retrying watch in 5 s (attempt 42)\n" * 3000
    paste = NOISE + warnings + RBAC_LINE + warnings + NOISE
    assert paste.index(RBAC_LINE) > MAX_CHARS and len(paste) - paste.index(RBAC_LINE) > MAX_CHARS
    assert _top(matcher, paste) == "rbac"


def test_the_excerpt_keeps_distinct_error_lines_the_earliest_and_latest_first() -> None:
    def word(n: int) -> str:
        return "".join(chr(97 + n // 26**k % 26) for k in range(3))

    lines = [f"line {n}: error in unit {word(n)} of the job\n" for n in range(3000)]
    raw = "head\n" + "".join(f"ok {n}\n" for n in range(2000)) + "".join(lines) + "tail\n" * 4000
    cut = excerpt(raw)
    assert len(cut.text) <= MAX_CHARS + 1000
    assert cut.text.startswith("head\n") and cut.text.endswith("tail\n")
    assert f"unit {word(0)} " in cut.text and f"unit {word(2999)} " in cut.text
    assert f"unit {word(1500)} " not in cut.text
    # Lines that differ only in their numbers are one line: the same error repeated.
    same = "x\n" * 30_000 + "Error: volume 12 is busy\n" * 5000 + "y\n" * 30_000
    assert excerpt(same).text.count("is busy") == 1


def test_a_paste_without_line_breaks_is_cut_around_its_error_words() -> None:
    raw = "noise " * 20_000 + "fatal: could not lock ref " + "noise " * 20_000
    cut = excerpt(raw)
    assert "fatal: could not lock ref" in cut.text
    assert len(cut.text) <= MAX_CHARS


FOOTER = "For troubleshooting information visit: https://cloud.example.com/docs/apps?topic=apps-troubleshoot"
LOGS_HINT = "Run 'tool app logs -f myapp' for more details."
BOILERPLATE_SECTIONS = [
    _section(
        "quota", "Why can't I create an app?", f"ERROR: The app quota is exhausted\n{LOGS_HINT}\n{FOOTER}"
    ),
    _section("build", "Why does my build fail?", f"ERROR: The build run timed out in step push\n{LOGS_HINT}"),
    _section("secret", "Why is my secret missing?", f"ERROR: The secret mysecret was not found\n{LOGS_HINT}"),
    _section(
        "events", "Why is my job stuck?", "Events:\nWarning  BackoffLimitExceeded  job has reached the limit"
    ),
    _section(
        "docs", "Where are the docs?", f"Docs: {FOOTER.split(': ', 1)[1]}\nStill creating... [10s elapsed]"
    ),
]


def test_a_footer_learned_from_several_pages_never_decides() -> None:
    matcher = Matcher(BOILERPLATE_SECTIONS)
    assert matcher.tables.generic_lines == {"run for more detail"}  # a shape is made of terms (singular)
    answer = matcher.match(f"ERROR: the frobnicator exploded\n{LOGS_HINT.replace('myapp', 'web')}\n{FOOTER}")
    assert not answer.confident
    # With the footer, the real message still finds its section.
    answer = matcher.match(f"ERROR: The build run timed out in step push\n{LOGS_HINT}\n{FOOTER}")
    assert answer.matches[0].section.anchor == "build" and answer.confident


def test_documentation_links_and_progress_lines_are_not_evidence() -> None:
    matcher = Matcher(BOILERPLATE_SECTIONS)
    paste = (
        '{"errors": [{"code": "bad_thing", "message": "zorbified", '
        '"more_info": "https://cloud.example.com/docs/apps?topic=apps-troubleshoot"}]}\n'
        "ibm_app.web: Still creating... [20s elapsed]\nibm_app.web: Creating..."
    )
    answer = matcher.match(paste)
    assert not answer.confident
    assert all(m.section.anchor != "docs" for m in answer.matches)


def test_a_quoted_message_in_a_field_is_no_identifier() -> None:
    # An SDK prints its error as an object whose fields quote the message: the value is words, not an id.
    sections = [
        _section("language", "Why is the language of my text not detected?", "unsupported text language"),
        *LOG_SECTIONS,
    ]
    paste = (
        "{ name: 'Bad Request',\n  code: 400,\n  message: 'unsupported text language',\n  id: '3f2a91bc' }"
    )
    assert _top(Matcher(sections), paste) == "language"
    assert not is_boilerplate("  message: 'unsupported text language',")
    assert is_boilerplate("  id: '3f2a91bc' }") and is_boilerplate("Request ID: <request_id>")


def test_a_long_word_before_a_link_is_read_in_one_pass() -> None:
    # The docs' blocks are read for links before the index is written, in full: a scheme is short, and a word of
    # 200,000 scheme characters before "://" took a quadratic search (about 10**10 steps) before it was bounded.
    assert is_boilerplate("x" * 200_000 + "://example.com/docs")
    assert not is_boilerplate(
        "Error: " + "x" * 200_000 + "://example.com failed to connect to the server now"
    )


WEBHOOK_MESSAGE = (
    'Internal error occurred: failed calling webhook "<name>": Post "<url>": context deadline exceeded'
)
WEBHOOK_SECTIONS = [
    # The specific section first: on a tie of the message, the order of the index would decide for it.
    _section(
        "istio-webhook",
        "Why does the Istio sidecar injector webhook time out?",
        WEBHOOK_MESSAGE,
        symptom="Pods are not created: the Istio sidecar injector does not answer.",
    ),
    _section(
        "webhook-debug",
        "Why does a webhook time out?",
        WEBHOOK_MESSAGE,
        symptom=(
            "A request to the API server fails because an admission webhook that the request goes through does "
            "not answer in time: creating, updating or deleting a resource that the webhook watches fails, and "
            "the message names the webhook and the URL of its service."
        ),
    ),
    _section("dns", "Why do lookups time out?", "dial udp 172.21.0.10:53: i/o timeout"),
]


def test_a_specific_section_wins_only_when_the_paste_says_what_is_specific() -> None:
    matcher = Matcher(WEBHOOK_SECTIONS)
    generic = (
        'Internal error occurred: failed calling webhook "mutate.example.io": '
        'Post "https://example-webhook.default.svc:443/mutate?timeout=10s": context deadline exceeded'
    )
    assert _top(matcher, generic) == "webhook-debug"
    specific = (
        'Error creating: Internal error occurred: failed calling webhook "sidecar-injector.istio.io": Post '
        '"https://istiod.istio-system.svc:443/inject?timeout=10s": context deadline exceeded'
    )
    assert _top(matcher, specific) == "istio-webhook"


PROSE_SECTIONS = [
    _section(
        "subdomain",
        "Why does my cluster have no Ingress subdomain?",
        symptom="Hours after you create the cluster, it still has no Ingress subdomain.",
        resolution=" ".join(
            f"Step {n}: run the command that lists the worker nodes of zone {n}." for n in range(12)
        ),
    ),
    _section(
        "alb",
        "Why do the ALB pods not deploy?",
        "ALB pods are in a CrashLoopBackOff state",
        resolution=(
            "Check the Ingress subdomain of the cluster and its certificate. If the cluster has no Ingress "
            "subdomain after several hours, open a case; the subdomain is created by the cluster's Ingress "
            "controller after several hours at most. Check the cluster and its Ingress resources again."
        ),
    ),
    _section("dns", "Why do lookups time out?", "dial udp 172.21.0.10:53: i/o timeout"),
]


def test_a_report_in_prose_finds_the_section_whose_title_and_symptom_say_it() -> None:
    matcher = Matcher(PROSE_SECTIONS)
    assert _top(matcher, "after several hours the cluster still has no Ingress subdomain") == "subdomain"


def test_a_camel_case_word_of_the_docs_meets_its_lower_case_form() -> None:
    sections = [
        _section("ws", "Why does a WebSocket connection close?", symptom="The WebSocket closes when idle."),
        _section("web", "Why is the web console slow?", symptom="The console connection is slow."),
    ]
    matcher = Matcher(sections)
    assert matcher.tables.posting("websocket") == [(0, 3)]  # the title counts twice
    assert _top(matcher, "my websocket connection is closed after a minute") == "ws"


def test_a_camel_case_word_of_a_paste_meets_the_same_word_of_the_docs() -> None:
    # ``NotReady`` counts as ``not ready`` and as the one word ``notready``, in the docs and in the paste.
    sections = [
        _section("app", "Why is the app not ready?", symptom="The app is not ready when it starts."),
        _section("worker", "Why are workers NotReady?", symptom="Workers show NotReady."),
    ]
    matcher = Matcher(sections)
    assert _top(matcher, "10.0.0.7   NotReady   <none>   3h9m   v1.18.9") == "worker"


def test_a_plural_meets_its_singular() -> None:
    # The docs' title says "lookups" and "delays"; the report says "lookup" and "delay".
    sections = [
        _section("net", "Why does my app's connection to the network fail?", symptom="The connection fails."),
        _section("dns", "Why are DNS lookups and delays slow?", symptom="DNS answers come late."),
    ]
    matcher = Matcher(sections)
    assert _top(matcher, "every DNS lookup shows a delay on the network connection") == "dns"
    assert [singular(w) for w in ("volumes", "status", "access", "this", "pods")] == [
        "volume",
        "status",
        "access",
        "this",
        "pod",
    ]


def test_a_word_of_a_title_meets_its_other_forms() -> None:
    # Two sections document the same message; the report says "resized" where one title says "resizing".
    message = 'MountVolume.SetUp failed for volume "pvc-<id>" : mount failed: exit status 32'
    symptom = "The pod stays in ContainerCreating."
    sections = [
        _section("mounting", "Why does a volume fail while mounting?", message, symptom=symptom),
        _section("resizing", "Why does a volume fail after resizing?", message, symptom=symptom),
        _section("dns", "Why do lookups time out?", "dial udp 172.21.0.10:53: i/o timeout"),
    ]
    matcher = Matcher(sections)
    assert _top(matcher, "the volume was resized and the pod stays in ContainerCreating") == "resizing"
    forms = ("provisioning", "provisioned", "verified", "creating", "create", "stopped", "need", "pods")
    assert [stem(w) for w in forms] == [
        "provision",
        "provision",
        "verify",
        "creat",
        "creat",
        "stop",
        "need",
        "pods",
    ]


def test_a_word_glued_from_two_words_of_the_docs_meets_them() -> None:
    # Programs glue words (``etcdserver``, ``kubeapiserver``) that the docs write apart.
    sections = [
        _section(
            "db",
            "Why is the app database full?",
            "app database space is full",
            resolution="Restart the server.",
        ),
        _section(
            "etcd",
            "Why is the etcd database full?",
            "etcd database space is full",
            resolution="Restart the pods.",
        ),
    ]
    matcher = Matcher(sections)
    assert _top(matcher, "Error: etcdserver: mvcc: database space is full") == "etcd"
    # A word the docs know is never cut, nor one whose parts are not both words of the docs.
    assert compound_parts("etcdserver", {"etcd", "server"}.__contains__) == ("etcd", "server")
    assert compound_parts("database", {"data", "base", "database"}.__contains__) is None
    assert compound_parts("etcdmvcc", {"etcd"}.__contains__) is None
    assert compound_parts("thedatabase", {"the", "database"}.__contains__) is None  # a stop word is no part
    assert compound_parts("etcd" * 20 + "server", {"etcd" * 20, "server"}.__contains__) is None  # too long


def test_a_message_of_common_words_only_is_never_confident() -> None:
    # Many sections use the words of an HTTP client's generic failure; the one that quotes it whole is no
    # more than a guess for a paste that holds nothing else.
    fillers = [
        _section(
            f"f{n}", f"Why does request {n} fail?", f"The {kind} request failed with status code {n}: {why}"
        )
        for n, (kind, why) in enumerate(
            (kind, why)
            for kind in ("volume", "ingress", "registry", "worker", "secret")
            for why in ("quota exceeded", "not authorized", "timed out", "conflict", "bad gateway")
        )
    ]
    target = _section("http", "Why does the console show an error?", "Request failed with status code 500")
    push = _section(
        "push", "Why can't I push images?", "Request failed with status code 413: payload too large"
    )
    matcher = Matcher([*fillers, target, push])
    answer = matcher.match('{"message": "Request failed with status code 500"}')
    assert answer.matches[0].section.anchor == "http"
    assert not answer.confident
    # A message with a word of its own stays confident when repeated whole.
    answer = matcher.match("Error: Request failed with status code 413: payload too large")
    assert answer.matches[0].section.anchor == "push" and answer.confident


def test_two_sections_that_explain_a_paste_equally_are_not_a_confident_answer() -> None:
    message = "MountVolume.SetUp failed for volume: mount point is read-only after a network error"
    sections = [
        _section("block", "Why does block storage become read-only?", message),
        _section("file", "Why does file storage become read-only?", f"{message} on the worker node"),
        # Enough other sections that a word of two sections counts as telling (see the common-words test).
        *(
            _section(f"x{n}", f"Why does gadget {n} stop?", f"gadget {n} stopped: quota exhausted")
            for n in range(40)
        ),
    ]
    answer = Matcher(sections).match(f"Warning FailedMount kubelet {message}")
    assert {m.section.anchor for m in answer.matches[:2]} == {"block", "file"}
    assert not answer.confident


REGISTRY_SECTIONS = [
    _section(
        "quota",
        "Why am I getting errors about my quota?",
        "Your account has exceeded its image storage quota",
    ),
    _section("connect", "Why can't I connect to the registry?", "read: connection reset by peer"),
    _section(
        "keychain",
        "Why is docker login on my Mac failing?",
        "Error saving credentials: error storing credentials - err: exit status 1, out:\n"
        "'The user name or passphrase you entered is not correct.'",
    ),
    _section("manifest", "Why is the manifest unknown?", "manifest unknown"),
]


def test_the_words_of_a_link_are_no_evidence() -> None:
    matcher = Matcher(REGISTRY_SECTIONS)
    paste = (
        "error pulling image configuration: Get https://blobs.example.com/account/exceeded/image/storage/quota"
        "/data: read: connection reset by peer"
    )
    assert _top(matcher, paste) == "connect"


def test_a_generic_head_with_another_detail_is_not_the_documented_message() -> None:
    matcher = Matcher(REGISTRY_SECTIONS)
    documented = (
        "Error saving credentials: error storing credentials - err: exit status 1, out: "
        "`The user name or passphrase you entered is not correct.`"
    )
    answer = matcher.match(documented)
    assert answer.matches[0].section.anchor == "keychain" and answer.confident
    other_detail = (
        "Error saving credentials: error storing credentials - err: exit status 1, out: `Post "
        '"https://hub.example.com/v2/users/login": dial tcp 10.0.0.1:443: connectex: A connection attempt '
        "failed because the connected party did not properly respond after a period of time`"
    )
    answer = matcher.match(other_detail)
    assert answer.matches[0].section.anchor == "keychain" and not answer.confident


def test_a_command_line_of_the_docs_error_text_is_not_a_message() -> None:
    # The docs show the command before its output; a paste of any failure of that command shows it too.
    not_registered = Section(
        page="ts-not-registered.md",
        anchor="not-registered",
        title="Why do registry commands fail with a message that they're not registered?",
        url="ts-not-registered/#not-registered",
        errors=("ibmcloud cr login\n'cr' is not a registered command. See 'ibmcloud help'.",),
        commands=("ibmcloud plugin install container-registry",),
    )
    docker = Section(
        page="ts-login.md",
        anchor="login",
        title="Why can't I log in to the registry?",
        url="ts-login/#login",
        symptom="The login command fails: Docker is not installed or its path is not set.",
        resolution="Install Docker and check its installation path, then log in again.",
        commands=("ibmcloud cr login",),
    )
    matcher = Matcher([not_registered, docker, *REGISTRY_SECTIONS])
    assert not any(text == "ibmcloud cr login" for _, text in matcher.tables.template_sources)
    paste = (
        "$ ibmcloud cr login\nFAILED\nCould not locate 'docker'. Check your 'docker' installation and path."
    )
    assert _top(matcher, paste) == "login"
    assert _top(matcher, "'cr' is not a registered command. See 'ibmcloud help'.") == "not-registered"


def test_the_column_header_of_a_listing_is_no_evidence() -> None:
    sections = [
        _section(
            "columns",
            "Why does the listing show old name, status, roles, age and version values?",
            symptom="A node that the listing shows as NotReady keeps the old values.",
        ),
        _section("notready", "Why is a worker node NotReady?", symptom="A worker node shows NotReady."),
        *REGISTRY_SECTIONS,
    ]
    matcher = Matcher(sections)
    paste = (
        "NAME       STATUS     ROLES    AGE    VERSION\n"
        "node-a1b2  NotReady   <none>   3h9m   v1.18.9\n"
        "NAME STATUS ROLES AGE VERSION"
    )
    assert _top(matcher, paste) == "notready"


def test_a_field_of_a_cli_record_with_a_one_word_value_is_no_message() -> None:
    record = (
        "Ingress Subdomain:      mycluster-<hash>-0000.us-south.containers.appdomain.cloud\n"
        "Ingress Status:   healthy\n"
        "Message:          All Ingress components are healthy."
    )
    assert template_texts(record) == ["Message:          All Ingress components are healthy.", record]


#: A section whose cause and resolution, not its message, hold the words of a prose report.
ETCD_SECTION = Section(
    page="ts-etcd.md",
    anchor="etcd",
    title="Why does the API server answer slowly?",
    url="ts-etcd/#etcd",
    symptom="Requests to the API server take several seconds.",
    errors=("etcdserver: request timed out",),
    cause="The etcd database grew past its compaction window after many revisions of large objects.",
    resolution="Defragment the database, then lower the revision history of the operator's objects.",
)


def test_prose_words_of_a_cause_and_resolution_rank_the_section_first_but_never_confidently() -> None:
    # The paste repeats no error text and no title or symptom word of the section: only words that its cause
    # and resolution use. That is enough to rank it first (the term score reads the whole section) and never
    # enough to be sure: nothing of a documented message is in it.
    sections = [
        _section("dns", "Why do lookups time out?", "dial udp 172.21.0.10:53: i/o timeout"),
        _section(
            "oom", "Why is my pod OOMKilled?", "Last State: Terminated Reason: OOMKilled Exit Code: 137"
        ),
        _section(
            "quota",
            "Why am I getting errors about my quota?",
            "Your account has exceeded its image storage quota",
            # One word of the paste, in a resolution too: fewer shared words rank lower.
            resolution="Delete old images and their history, or raise the quota of the namespace.",
        ),
        ETCD_SECTION,
    ]
    answer = Matcher(sections).match("we defragmented the database but the revision history keeps growing")
    assert answer.matches[0].section.anchor == "etcd"
    assert not answer.confident


KUBELET_SECTIONS = [
    _section(
        "exec-logs",
        "Why can't I run exec or logs commands?",
        "Error from server: error dialing backend: EOF",
    ),
    _section(
        "firewall",
        "Why does my firewall block the kubelet port?",
        "Error from server: error dialing backend: dial tcp <worker_IP>:10250: getsockopt: connection timed out",
    ),
    _section("dns", "Why do lookups time out?", "dial udp 172.21.0.10:53: i/o timeout"),
    _section("oom", "Why is my pod OOMKilled?", "Last State: Terminated Reason: OOMKilled Exit Code: 137"),
    RBAC,
]


def test_a_specific_message_whose_specifics_the_paste_replaces_ranks_below_its_general_sibling() -> None:
    # The firewall's message repeats more of the paste (dial tcp) but says getsockopt and connection timed out
    # where the paste says i/o timeout: it is the general message plus specifics this paste does not show.
    matcher = Matcher(KUBELET_SECTIONS)
    paste = "Error from server: error dialing backend: dial tcp 10.240.0.22:10250: i/o timeout"
    assert _top(matcher, paste) == "exec-logs"
    # The paste that shows the specifics finds the specific section; one cut short before them is no evidence
    # against it.
    said = "Error from server: error dialing backend: dial tcp 10.240.0.22:10250: getsockopt: connection timed out"
    assert _top(matcher, said) == "firewall"
    assert _top(matcher, "Error from server: error dialing backend: dial tcp 10.240.0.22:10250") == "firewall"


def test_one_word_of_a_message_in_prose_weighs_no_more_than_the_words_of_a_cause_and_resolution() -> None:
    # The quota message shares one word with the report (storage); the etcd section's cause and resolution
    # share three (database, revision, history), words other fixes use too. One word of a message is no
    # message said: it counts as a term, like the others, and the section that shares more of them ranks first.
    fixes = (
        "Restart the database.",
        "Check the revision of the chart.",
        "Delete the objects and restart.",
        "Review the revision history.",
    )
    others = [
        _section(f"component-{n}", f"Why does component {n} fail?", f"component {n} exited", resolution=fix)
        for n, fix in enumerate(fixes)
    ]
    sections = [
        *others,
        _section(
            "quota",
            "Why am I getting errors about my quota?",
            "Your account has exceeded its image storage quota",
        ),
        ETCD_SECTION,
    ]
    answer = Matcher(sections).match("we cleaned the database but the storage revision history keeps growing")
    assert answer.matches[0].section.anchor == "etcd"
    assert not answer.confident


def _cli_section(anchor: str, title: str, error: str) -> Section:
    """A section of a small index whose sections are all on one page (a CLI's frequent questions)."""
    return Section(page="ts-cli.md", anchor=anchor, title=title, url=f"ts-cli/#{anchor}", errors=(error,))


#: A small index: six sections of one page, most of whose messages start with the same ``FAILED`` line.
CLI_SECTIONS = [
    _cli_section(
        "update",
        "Why does updating the tool fail?",
        "An error occurred when fetching the latest release info:\ninvalid character '<' looking for beginning of value",
    ),
    _cli_section(
        "plugin",
        "Why does a plug-in install fail after the download?",
        "FAILED\nUnable to read the plug-in's metadata. Error: fork/exec /tmp/...: permission denied",
    ),
    _cli_section(
        "login",
        "Why does login fail with an unsupported protocol scheme?",
        'Authenticating...\nPost "auth.example.com/token": unsupported protocol scheme ""\nFAILED\nUnable to authenticate.',
    ),
    _cli_section(
        "broker",
        "Why does the service broker refuse a second instance?",
        'FAILED\nService broker error: {"description"=>"Each organization is limited to one instance of the free plan."}',
    ),
    _cli_section(
        "search",
        "Why is the search command unknown?",
        "FAILED\n'search' is not a registered command. See 'tool catalog help'.",
    ),
    _cli_section(
        "window",
        "Why does listing resources fail with error 400?",
        "FAILED\nError response from server. Status code: 400; description: Requested result window is too large",
    ),
]


def test_a_head_whose_detail_follows_on_the_next_line_is_no_message_when_the_detail_is_another() -> None:
    # A message's head ends its line with a colon and its detail is on the next line, as the docs' templates
    # join them: another detail there is another error behind the same head, in a small index as in a big one.
    matcher = Matcher(CLI_SECTIONS)
    head = "An error occurred when fetching the latest release info:"
    answer = matcher.match(f"{head}\ninvalid character '<' looking for beginning of value")
    assert answer.matches[0].section.anchor == "update" and answer.confident
    answer = matcher.match(
        f"{head}\nGet https://example.com/info: dial tcp: lookup example.com: no such host"
    )
    assert answer.matches[0].section.anchor == "update" and not answer.confident
    plugin = "FAILED\nUnable to read the plug-in's metadata. Error:"
    answer = matcher.match(f"{plugin}\nfork/exec /tmp/x: permission denied")
    assert answer.matches[0].section.anchor == "plugin" and answer.confident
    answer = matcher.match(f"{plugin}\nopen /home/u/.tool/plugins/x: no such file or directory")
    assert answer.matches[0].section.anchor == "plugin" and not answer.confident
    # The same for a detail after another head that ends the line before it.
    answer = matcher.match(
        "Could not check the plug-in repository:\ninvalid character '<' looking for beginning of value"
    )
    assert answer.matches[0].section.anchor == "update" and not answer.confident


def test_a_few_words_of_one_section_are_no_sure_mark_in_a_small_index() -> None:
    # In six sections every word of a message is used by one section only; two such words are what many
    # tools print, and only a big index would tell whether they mark one message.
    denied = "Error: permission denied"
    answer = Matcher(CLI_SECTIONS).match(denied)
    assert answer.matches[0].section.anchor == "plugin" and not answer.confident
    answer = Matcher(CLI_SECTIONS).match(
        "FAILED\nUnable to read the plug-in's metadata. Error: fork/exec /tmp/x: permission denied"
    )
    assert answer.matches[0].section.anchor == "plugin" and answer.confident
    # In a big index where no other section uses them, the same words are a mark of that message.
    others = [
        _section(f"gadget-{n}", f"Why does gadget {n} stop?", f"gadget {n} stopped: quota exhausted")
        for n in range(60)
    ]
    answer = Matcher([*CLI_SECTIONS, *others]).match(denied)
    assert answer.matches[0].section.anchor == "plugin" and answer.confident


def _edge_section(number: str, title: str, body: str) -> Section:
    return Section(
        page="ts-edge-errors.md", anchor=number, title=title, url=f"ts-edge-errors/#{number}", body=body
    )


def test_the_number_of_a_numbered_error_is_its_code() -> None:
    # Headings that name numbered errors (the same words, another number) and their resolution subsections;
    # no section quotes a message. The number after "Error" tells them apart, as an error code does.
    sections = [
        _edge_section(
            "e1402", "Error 1402: Upstream refused", "Error 1402 occurs when the edge cannot reach it."
        ),
        _edge_section("r1402", "Resolution", "Allow the edge's addresses in the upstream firewall."),
        _edge_section(
            "e1403", "Error 1403: Upstream refused", "Error 1403 occurs when a rule blocks a visitor."
        ),
        _edge_section("r1403", "Resolution", "Look up the ray ID of the visitor's error in the rule log."),
    ]
    matcher = Matcher(sections)
    paste = "Error 1403 Ray ID: 6b993ced1a281004 • 2021-12-06 23:19:14 UTC\nUpstream refused"
    assert _top(matcher, paste) == "e1403"
    assert _top(matcher, paste.replace("1403", "1402")) == "e1402"
    # A date after the word is no error number.
    assert [t.code for t in tokenize("error 2024-05-01 and error 1402")] == [False] * 6 + [True]
    assert [t.code for t in tokenize("Error 522: timed out; status 522")] == [
        False,
        True,
        False,
        False,
        False,
        False,
    ]


def test_a_command_with_options_in_a_small_index_is_not_a_message() -> None:
    # Three sections: too few for the index to learn which programs the docs run. The line with options is
    # a command typed all the same, and a paste of that command with another error is not its section's.
    sections = [
        _section(
            "limit",
            "Why does my function stop after its time limit?",
            "fnctl function update NAME FILE --runtime RUNTIME --timeout VALUE\n"
            "function stopped: time limit of <ms> milliseconds reached",
        ),
        _section("killed", "Why is my function killed?", '{"error": "signal: killed"}'),
        _section("quota", "Why are my invocations rejected?", "Too many requests in the last minute"),
    ]
    matcher = Matcher(sections)
    assert not any("--timeout" in text for _, text in matcher.tables.template_sources)
    paste = (
        "fnctl function update hello hello.js --runtime nodejs:20 --timeout 1000\nunknown runtime nodejs:20"
    )
    assert not matcher.match(paste).confident
    assert _top(matcher, "function stopped: time limit of 300000 milliseconds reached") == "limit"


def test_output_with_no_documented_message_is_read_by_the_titles_it_says() -> None:
    # The paste is a tool's output (quotes, a colon), yet no message of the docs is in it: the only message that
    # shares a word with it shares one (error). Two of its words are the limits section's title and symptom
    # (limit, exceeded); the timing section's steps say three others (action, time, milliseconds), so that the
    # term score alone ranks the steps first.
    sections = [
        _section(
            "limits",
            "System limits were reached",
            '{"error": "signal: killed"}',
            symptom="Your function exceeded a limit and does not run properly.",
        ),
        _section(
            "timing",
            "Testing the duration of activations",
            symptom="An activation takes longer than you expect.",
            resolution="Time the action and note the milliseconds that the action takes.",
        ),
        _section("dns", "Why do lookups time out?", "dial udp 172.21.0.10:53: i/o timeout"),
        _section(
            "oom", "Why is my pod OOMKilled?", "Last State: Terminated Reason: OOMKilled Exit Code: 137"
        ),
    ]
    paste = '"error": "The action exceeded its time limits of 300000 milliseconds."'
    answer = Matcher(sections).match(paste)
    assert answer.matches[0].section.anchor == "limits"
    assert not answer.confident


def test_where_two_messages_differ_the_paste_says_which_it_is() -> None:
    # The security-group listing repeats more of the paste (the worker's columns), but where it says security
    # group the paste says endpoint gateway: the other section's message, which the paste says whole.
    sections = [
        _section(
            "security-group",
            "Why are my worker nodes stuck in pending?",
            "kube-abc-default-00000  -  bx2.4x16  provision_pending  Pending security group creation  us-south-2  -",
        ),
        _section(
            "endpoint",
            "Unable to create or delete worker nodes due to endpoints error",
            "Pending endpoint gateway creation",
        ),
        _section("dns", "Why do lookups time out?", "dial udp 172.21.0.10:53: i/o timeout"),
        _section(
            "oom", "Why is my pod OOMKilled?", "Last State: Terminated Reason: OOMKilled Exit Code: 137"
        ),
        RBAC,
    ]
    matcher = Matcher(sections)
    paste = (
        "kube-buoj9vc-mycluster-default-15534d40   10.72.97.182   bx2.4x16   provision_pending   "
        "Pending endpoint gateway creation   us-east-2   1.30.4_1538"
    )
    assert _top(matcher, paste) == "endpoint"
    assert _top(matcher, paste.replace("endpoint gateway", "security group")) == "security-group"


def test_a_message_that_shares_two_common_words_with_the_paste_does_not_outrank_its_title() -> None:
    # The calico message shares "timeout while" with the paste: two words, no message surely said. The paste's
    # other words (ingress, secret, state, normal) are the subdomain section's title and symptom.
    sections = [
        _section(
            "subdomain",
            "Why does no Ingress subdomain exist after cluster creation?",
            symptom="The cluster state is normal, but the Ingress subdomain and secret are not available.",
        ),
        _section(
            "calico",
            "Why does my worker node show a NetworkUnavailable error?",
            "Failed to set NetworkUnavailable; will retry error=timeout while patching the node status",
        ),
        _section("dns", "Why do lookups time out?", "dial udp 172.21.0.10:53: i/o timeout"),
        _section(
            "oom", "Why is my pod OOMKilled?", "Last State: Terminated Reason: OOMKilled Exit Code: 137"
        ),
        RBAC,
    ]
    paste = (
        "Error waiting for initializing ingress hostname and secret: timeout while waiting for state to "
        "become 'normal'"
    )
    answer = Matcher(sections).match(paste)
    assert answer.matches[0].section.anchor == "subdomain"
    assert not answer.confident


def _ingress_report_sections() -> list[Section]:
    return [
        _section(
            "subdomain",
            "Why does no Ingress subdomain exist after cluster creation?",
            symptom="You create a cluster and check its status. The cluster state is normal, but the Ingress subdomain "
            "and secret are not available.",
        ),
        PROSE_SECTIONS[2],
        _section(
            "ping",
            "Step 4: Ping the ALB host names and public IP addresses",
            "Ingress Subdomain:      mycluster-<hash>-0000.us-south.containers.appdomain.cloud\n"
            "Ingress Secret:         mycluster-<hash>-0000",
        ),
        *(
            _section(
                f"ingress-{n}", f"Why does Ingress step {n} fail?", symptom="The Ingress controller restarts."
            )
            for n in range(3)
        ),
        *(
            _section(f"component-{n}", f"Why does component {n} fail?", f"component {n} exited")
            for n in range(6)
        ),
    ]


def test_a_report_in_prose_is_no_message_said_by_two_common_words_of_one() -> None:
    # The ping step's record shares "Ingress subdomain" with the report: words that several sections use, less
    # evidence than one rare word. A reader who writes them describes the symptom, which the subdomain section's
    # title and symptom say; the record's two words would rank the ping step first.
    sections = _ingress_report_sections()
    answer = Matcher(sections).match("Ingress subdomain\n    -- \nSubdomain is not created.")
    assert answer.matches[0].section.anchor == "subdomain"
    assert not answer.confident


def test_a_report_in_prose_may_quote_with_a_colon() -> None:
    # A sentence that introduces its words with a colon is still a report: the record's two common words are
    # no message said (the ping step is ranked by its title, not by its record).
    report = "Ingress subdomain: we created the cluster two hours ago and it still has none."
    assert is_prose(report)
    assert not is_prose("Error: ingress subdomain=none")
    answer = Matcher(_ingress_report_sections()).match(report)
    assert [m.section.anchor for m in answer.matches[:2]] == ["subdomain", "ping"]
    assert answer.matches[1].evidence.text.startswith("Step 4")
    assert not answer.confident


def test_a_camel_case_status_is_one_word_not_a_message_of_four() -> None:
    # ImagePullBackOff counts as image, pull, back and off, but it is one word of the paste: the listing row
    # that shows it is no message of four words repeated whole, and the message the paste says wins.
    sections = [
        _section(
            "image-pull",
            "Why do images fail to pull from the registry?",
            "<pod_name>   0/1       ImagePullBackOff   0          2m",
        ),
        _section(
            "qps",
            'Why do pods show "pull QPS exceeded" errors during image pulls?',
            "pull QPS exceeded errors during image pulls",
        ),
        _section("dns", "Why do lookups time out?", "dial udp 172.21.0.10:53: i/o timeout"),
        _section(
            "oom", "Why is my pod OOMKilled?", "Last State: Terminated Reason: OOMKilled Exit Code: 137"
        ),
        RBAC,
    ]
    paste = (
        'Warning  Failed   52s   kubelet   Failed to pull image "a.b.c/image-0.1": pull QPS exceeded\n'
        "Warning  Failed   52s   kubelet   Error: ErrImagePull\n"
        'Normal   BackOff  45s   kubelet   Back-off pulling image "a.b.c/image-0.1"\n'
        "Warning  Failed   45s   kubelet   Error: ImagePullBackOff"
    )
    assert _top(Matcher(sections), paste) == "qps"


def test_one_camel_case_word_of_a_message_is_no_message_said() -> None:
    # OOMKilled is one word of the listing, though it counts as two terms (oom, killed): it says no message of
    # the dashboard section, whose error block shows it in a record of the pod's last state. The section may
    # still rank by its words, but the answer shows no documented message as found, and is no match at all.
    sections = [
        _section(
            "dashboard",
            "Why does the dashboard terminate?",
            "Last State:     Terminated\nReason:       OOMKilled\nExit Code:    137",
        ),
        _section(
            "limits",
            "Fixing container resource limits",
            symptom="The pod restarts again and again: it is killed when it needs more memory than its limit.",
        ),
        _section("dns", "Why do lookups time out?", "dial udp 172.21.0.10:53: i/o timeout"),
        RBAC,
    ]
    paste = (
        "kubectl get pods\n"
        "NAME                                       READY   STATUS      RESTARTS      AGE\n"
        "tax-application-base-74464f6b98-2kj6g      0/1     OOMKilled   4 (57s ago)   2m40s"
    )
    answer = Matcher(sections).match(paste)
    assert answer.confidence == 0.0
    assert all(match.evidence.text != sections[0].errors[0] for match in answer.matches)


READ_ONLY = "MountVolume.SetUp failed for volume ... read-only file system"
READ_ONLY_PASTE = (
    'Warning FailedMount kubelet MountVolume.SetUp failed for volume "pvc-0a1b2c3d" : read-only file system'
)
GADGETS = [
    _section(f"x{n}", f"Why does gadget {n} stop?", f"gadget {n} stopped: quota exhausted") for n in range(40)
]


def test_a_message_that_another_page_documents_too_is_not_a_confident_answer() -> None:
    # The title's words rank the node page first, well ahead (more than the runner-up gap), but the message
    # is the app page's as much: which topic it is, the paste does not say.
    nodes = _section("nodes", "Why are the file systems of worker nodes read-only?", READ_ONLY)
    app = _section("app", "Why can't my app write to its volume?", READ_ONLY)
    answer = Matcher([nodes, app, *GADGETS]).match(READ_ONLY_PASTE)
    assert [m.section.anchor for m in answer.matches[:2]] == ["nodes", "app"]
    assert answer.matches[1].score < 0.9 * answer.matches[0].score
    assert not answer.confident
    # A catalogue that lists the message among many others is no other topic of it.
    status = _section(
        "status",
        "Storage messages: volume mount failures",
        READ_ONLY,
        *(f"The widget {n} is not ready (ERRW{n})" for n in range(12)),
    )
    answer = Matcher([nodes, status, *GADGETS]).match(READ_ONLY_PASTE)
    assert [m.section.anchor for m in answer.matches[:2]] == ["nodes", "status"]
    assert answer.matches[1].score > 0.75 * answer.matches[0].score
    assert answer.confident
    # Two tables of many messages (parallel topics) that share one are no catalogue of each other.
    file_table = _section(
        "file",
        "Why are the file systems of worker nodes read-only?",
        READ_ONLY,
        *(f"The file widget {n} is not ready (ERRF{n})" for n in range(12)),
    )
    answer = Matcher([file_table, status, *GADGETS]).match(READ_ONLY_PASTE)
    assert [m.section.anchor for m in answer.matches[:2]] == ["file", "status"]
    assert 0.75 * answer.matches[0].score < answer.matches[1].score < 0.9 * answer.matches[0].score
    assert not answer.confident


def test_the_words_of_a_name_in_a_listing_are_not_a_message_said() -> None:
    # A pod listing shares the pod's name parts (public, alb1) and one status word with the docs' listing:
    # the reader's resource names, not the wording of a message.
    listing = _section(
        "one_alb",
        "Removing an ALB from DNS for debugging",
        "public-cr24a9f2caf6554648836337d240064935-alb1-7f78686c9d-8rvtq   2/2       Running   0          24m",
    )
    matcher = Matcher([listing, *GADGETS])
    answer = matcher.match(
        "public-crcn0hav5w07nccmt0iufg-alb1-7df65f554f-nkgzl   1/1     Running   0          30h\n"
        "public-crcn0hav5w07nccmt0iufg-alb1-7df65f554f-qk97w   0/1     Pending   0          30h"
    )
    assert answer.matches[0].section.anchor == "one_alb"
    assert not answer.confident
    # A message said beside a name glued to an identifier stays one.
    answer = Matcher(
        [
            _section(
                "pull",
                "Why can't the container start?",
                "Container <name> is unable to start: image pull back-off",
            ),
            *GADGETS,
        ]
    ).match("warning: Container web-00 is unable to start: image pull back-off")
    assert answer.matches[0].section.anchor == "pull" and answer.confident


def test_words_where_the_message_has_a_count_are_another_reason() -> None:
    # The docs quote the scheduler's event for one reason; the paste's event gives another reason where
    # the documented one has a count, and is no sure mark of that section.
    gateway = _section(
        "gateway",
        "Why are my gateway pods stuck in pending?",
        "Warning  FailedScheduling  18s (x4 over 15m)  default-scheduler  0/3 nodes are available: "
        "3 node(s) didn't match Pod's node affinity/selector.",
    )
    # The docs know the other reason's words (a word no section uses would be a name of the reader's).
    memory = _section(
        "memory", "Why do my pods run out of memory?", symptom="The node has insufficient memory."
    )
    matcher = Matcher([gateway, memory, *GADGETS])
    answer = matcher.match(
        "Warning  FailedScheduling  48s (x150 over 11m)  default-scheduler  0/12 nodes are available: "
        "3 Insufficient memory, 9 node(s) didn't match Pod's node affinity/selector."
    )
    assert answer.matches[0].section.anchor == "gateway"
    assert not answer.confident
    # Another count there is the same message.
    answer = matcher.match(
        "Warning  FailedScheduling  48s (x150 over 11m)  default-scheduler  0/12 nodes are available: "
        "12 node(s) didn't match Pod's node affinity/selector."
    )
    assert answer.matches[0].section.anchor == "gateway" and answer.confident


def test_a_head_of_its_own_inside_the_message_is_another_error() -> None:
    refused = _section(
        "refused",
        "Why does the provider fail with a network error?",
        'Error: Get "http://localhost/api/v1/": dial tcp [::1]:80: connect: connection refused',
    )
    reach = _section(
        "reach", "Why can't I reach my cluster?", symptom="The Kubernetes cluster is unreachable."
    )
    matcher = Matcher([refused, reach, *GADGETS])
    answer = matcher.match(
        'Error: Kubernetes cluster unreachable: Get "http://localhost:8080/version?timeout=32s": '
        "dial tcp [::1]:8080: connect: connection refused"
    )
    assert answer.matches[0].section.anchor == "refused"
    assert not answer.confident
    # The documented message with other values is one.
    answer = matcher.match(
        'Error: Get "http://localhost:8080/api/v1/": dial tcp [::1]:8080: connect: connection refused'
    )
    assert answer.matches[0].section.anchor == "refused" and answer.confident


def test_part_of_a_message_that_another_section_scores_about_as_well_on_is_not_confident() -> None:
    # Two pages document messages that differ in one word after a long shared head. The paste says the head
    # and the first page's word, then stops: the first page ranks first, but the runner-up is within
    # PARTIAL_RUNNER_UP_GAP of it and the paste repeats only part of the message.
    head = "the volume attachment stalled while the storage controller"
    restart = _section("restart", "Why does attaching a volume hang?", f"{head} restarted the worker node")
    stop = _section("stop", "Why is the attachment of my PVC slow?", f"{head} stopped the worker node")
    matcher = Matcher([restart, stop, *GADGETS])
    answer = matcher.match(f"PVC claim-1: {head} restarted")
    assert [m.section.anchor for m in answer.matches[:2]] == ["restart", "stop"]
    assert answer.matches[1].score >= (1 - PARTIAL_RUNNER_UP_GAP) * answer.matches[0].score
    assert not answer.confident
    # The whole message said is that message, however close the runner-up.
    answer = matcher.match(f"PVC claim-1: {head} restarted the worker node")
    assert answer.matches[0].section.anchor == "restart"
    assert answer.matches[1].score >= (1 - PARTIAL_RUNNER_UP_GAP) * answer.matches[0].score
    assert answer.confident
