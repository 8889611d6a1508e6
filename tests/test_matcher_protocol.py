"""The matcher on numbered errors and on pastes of protocol output, each against small docs of its own.

A number that names an error (``Error 1020``) is evidence, in the docs and in a paste; a count, a port or an
id is not. An HTML error page counts by the text a reader saw, not its markup; the header lines of an HTTP
response are not evidence, its status line is.
"""

from __future__ import annotations

from itertools import cycle

from troubleshooter import Matcher, Section
from troubleshooter.normalize import normalize
from troubleshooter.terms import ID_TERM, tokenize


def _section(anchor: str, title: str, body: str) -> Section:
    return Section(page="ts-errors.md", anchor=anchor, title=title, url=f"ts-errors/#{anchor}", body=body)


def _top(matcher: Matcher, paste: str) -> str:
    matches = matcher.match(paste).matches
    return matches[0].section.anchor if matches else ""


ACCESS_DENIED = [
    _section(
        "1012-error", "Error 1012: Access denied", "Error 1012 occurs when a visitor's request is denied."
    ),
    _section(
        "1020-error", "Error 1020: Access denied", "Error 1020 occurs when a firewall rule denies access."
    ),
]


def test_a_number_that_names_an_error_tells_two_errors_of_the_same_words_apart() -> None:
    paste = "Error 1020 Ray ID: 6b993ced1a281004 • 2021-12-06 23:19:14 UTC\nAccess denied"
    assert _top(Matcher(ACCESS_DENIED), paste) == "1020-error"
    assert _top(Matcher(ACCESS_DENIED), "Access denied (error #1020)") == "1020-error"


def test_a_count_a_port_or_an_id_is_no_error_code() -> None:
    # The paste's 1020 is a port: no evidence for the section of error 1020 (the tie keeps the docs' order).
    assert _top(Matcher(ACCESS_DENIED), "Access denied on port 1020") == "1012-error"
    tokens = tokenize("listening on port 1020 after 1016 retries, request 4030, build 2021")
    assert not any(token.code for token in tokens)
    assert [t.term for t in tokenize("Errors 1006, 1007 or 1106; status=4030")] == [
        "error", "1006", "1007", "or", "1106", "status", "4030",
    ]  # fmt: skip
    assert tokenize("error-code 12345678")[-1].term == "12345678"
    assert tokenize("error: took 12345 ms")[-2].term == ID_TERM


ORIGIN = [
    _section(
        "415-error",
        "Error 415: Unsupported media type",
        "The Content-Type of the request (text/html, charset UTF-8) names a media type the server does not accept.",
    ),
    _section(
        "1016-error", "Error 1016: Origin DNS error", "CIS can't resolve the origin web server's IP address."
    ),
    _section(
        "not-cached",
        "Why are my pages not cached?",
        "The origin answers with Cache-Control: no-store, no-cache or must-revalidate, sets a cookie with "
        "Set-Cookie (path, domain, expires, HttpOnly), or the content type is text/html.",
    ),
    _section(
        "522-error", "Error 522: connection timed out", "The connection to the origin web server times out."
    ),
]
ERROR_PAGE = """Error: <!DOCTYPE html>
<!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->
<!--[if gt IE 8]><!--> <html class="no-js" lang="en-US"> <!--<![endif]-->
<head>
<title>Origin DNS error | api.example.com | Cloudflare</title>
<meta charset="UTF-8" />
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<style>body { content: "text html type media" }</style>
<script>var type = "text/html"; if (a < b) { charset = "UTF-8" }</script>
"""


def test_an_html_error_page_counts_by_its_text_not_its_markup() -> None:
    assert (
        " ".join(normalize(ERROR_PAGE).text.split())
        == "Error: Origin DNS error | api.example.com | Cloudflare"
    )
    assert _top(Matcher(ORIGIN), ERROR_PAGE) == "1016-error"


def test_text_with_angle_brackets_that_is_no_page_keeps_them() -> None:
    assert normalize("error: value <nil> is not a <string>").text == "error: value <nil> is not a <string>"


RESPONSE = """Dial failed: invalid websocket response: HTTP/1.1 522 Origin Connection Time-out
Date: Sun, 04 Nov 2018 10:57:55 GMT
Content-Type: text/html; charset=UTF-8
Set-Cookie: __cfduid=d41d8cd9; expires=Mon, 04-Nov-19 10:57:55 GMT; path=/; domain=.example.com; HttpOnly
Cache-Control: no-store, no-cache, must-revalidate
Expires: Thu, 01 Jan 1970 00:00:01 GMT
Server: cloudflare
X-Error-Message: origin unreachable

Error: retry in 5 seconds"""


def test_the_headers_of_an_http_response_are_no_evidence_its_status_line_is() -> None:
    kept = [line for line in normalize(RESPONSE).text.split("\n") if line.strip()]
    assert kept == [
        RESPONSE.split("\n")[0],
        "X-Error-Message: origin unreachable",
        "Error: retry in 5 seconds",
    ]
    assert _top(Matcher(ORIGIN), RESPONSE) == "522-error"
    curl = "> GET / HTTP/1.1\n> Host: example.com\n>\n< HTTP/2 302\n< location: https://example.com/\n< server: x"
    said = [line for line in normalize(curl).text.split("\n") if line.strip("<> ")]
    assert said == ["> GET / HTTP/1.1", "< HTTP/2 302"]


NUMBERED = [
    _section(
        "503-error",
        "Error 503: service temporarily unavailable",
        "If the HTML response body names Cloudflare, an issue occurred in a Cloudflare data center; if it does "
        "not name Cloudflare, check the origin logs for what occurred.",
    ),
    _section("1016-error", "Error 1016: Origin DNS error", "CIS can't resolve the IP address of the server."),
    _section("1013-error", "Error 1013: HTTP hostname and TLS SNI hostname mismatch", "The names differ."),
    _section(
        "redirect-loop",
        "Why do I see too many redirects?",
        "The origin answers every HTTP request with a 302.",
    ),
]


def test_a_title_that_names_a_numbered_error_is_its_message() -> None:
    # The docs of numbered errors show no message but the title: the page's title repeats it.
    paste = "Error: 1 error occurred:\n<html><title>Origin DNS error | api.example.com | Cloudflare</title></html>"
    answer = Matcher(NUMBERED).match(paste)
    assert answer.matches[0].section.anchor == "1016-error"
    assert answer.matches[0].evidence.text == "Error 1016: Origin DNS error"


def test_a_chain_does_not_link_a_common_word_over_the_error_code_it_skips() -> None:
    # Terraform's "1 error occurred:" holds the first word of "Error 1016: Origin DNS error": linking it over the
    # code that the paste does not say would count the code as replaced (half its weight lost); the message's own
    # words are the evidence, and only they are highlighted.
    paste = (
        "* 1 error occurred:\n* <html><title>Origin DNS error | api.example.com | Cloudflare</title></html>"
    )
    match = Matcher(NUMBERED).match(paste).matches[0]
    assert match.section.anchor == "1016-error"
    assert match.evidence.spans == [[12, 28]]  # "Origin DNS error", not the "Error" before the code


def test_one_word_of_a_message_is_no_message_said() -> None:
    # "HTTP" of the 1013 title is all that the status line shares with it; its 302 is the redirect's.
    assert _top(Matcher(NUMBERED), "$ curl -I https://example.com/\nHTTP/2 302") == "redirect-loop"


TERRAFORM_LOG = """2021-03-04T12:00:00.123+0100 [DEBUG] plugin.terraform-provider-ibm_v1.21.0: 2021/03/04 12:00:00 [DEBUG] ---[ RESPONSE ]---
2021-03-04T12:00:00.123+0100 [DEBUG] plugin.terraform-provider-ibm_v1.21.0: HTTP/1.1 403 Forbidden
2021-03-04T12:00:00.123+0100 [DEBUG] plugin.terraform-provider-ibm_v1.21.0: Content-Type: application/json
2021-03-04T12:00:00.123+0100 [DEBUG] plugin.terraform-provider-ibm_v1.21.0:
2021-03-04T12:00:00.123+0100 [DEBUG] plugin.terraform-provider-ibm_v1.21.0: The quota of the account is used up
[2023/10/09 12:00:01] [ info] [input] pausing tail.0
2021-03-23T12:24:28Z INF Generated client"""


def test_a_loggers_levels_and_component_names_are_not_the_message() -> None:
    said = [line.strip() for line in normalize(TERRAFORM_LOG).text.split("\n") if line.strip()]
    assert said == [
        "---[ RESPONSE ]---",
        "HTTP/1.1 403 Forbidden",
        "The quota of the account is used up",
        "[input] pausing tail.0",
        "Generated client",
    ]
    sections = [
        _section(
            "debug-log",
            "How do I read the provider debug log?",
            "Set TF_LOG to DEBUG: each line of the log names the plugin (terraform-provider-ibm) and its level "
            "(DEBUG, INFO), and the response of each request.",
        ),
        _section("quota", "Why is the quota used up?", "The account has reached its quota."),
    ]
    assert _top(Matcher(sections), TERRAFORM_LOG) == "quota"


def test_two_numbered_errors_of_one_page_with_the_same_words_are_no_confident_answer_without_the_number() -> (
    None
):
    sections = [
        _section("1018-error", "Error 1018: Could not find host", "The host name has no record."),
        _section("1023-error", "Error 1023: Could not find host", "The zone of the host name is paused."),
        _section("1101-error", "Error 1101: Rendering error", "A worker threw an exception."),
    ]
    # Other errors of the page, so that the words of the two are as rare as in real docs.
    words = ("origin", "worker", "cache", "tunnel", "rule", "zone", "edge", "pool")
    sections += [
        _section(f"{n}-error", f"Error {n}: {word} refused", f"The {word} refused the request.")
        for n, word in zip(range(1200, 1240), cycle(words), strict=False)
    ]
    matcher = Matcher(sections)
    assert not matcher.match("Could not find host").confident
    answer = matcher.match("Error 1023 Ray ID: 6b993ced1a281004\nCould not find host")
    assert answer.matches[0].section.anchor == "1023-error" and answer.confident


def test_the_line_number_of_a_source_file_is_no_status_code() -> None:
    sections = [
        _section(
            "503-error", "Error 503: Service temporarily unavailable", "The origin server is overloaded."
        ),
        _section(
            "fatal", "Why does the app stop with a fatal error?", "An uncaught exception stops the app."
        ),
    ]
    paste = "PHP Fatal error: Uncaught exception in /var/www/lib/Message.php:503"
    assert _top(Matcher(sections), paste) == "fatal"
    assert [t.term for t in tokenize("client.go:394 bing.com:443")] == [
        "client",
        "go",
        ID_TERM,
        "bing",
        "com",
        "443",
    ]


IBM_ENVELOPE = (
    '│ Error: Error creating subnet: Request failed with: {"StatusCode":400,"Headers":{"Cache-Control":'
    '["max-age=0, no-cache, no-store, must-revalidate"],"Content-Type":["application/json"],'
    '"Strict-Transport-Security":["max-age=31536000; includeSubDomains"]},"Result":{"errors":[{"message":'
    '"The quota of subnets in this zone is reached. Transaction-Id: 82f11c7e8fc3"}]},"RawResult":null}\n'
    "│\n"
    "│   with module.network.ibm_is_subnet.subnet[0],\n"
    '│   on main.tf line 10, in resource "ibm_is_subnet" "subnet":\n'
    '│   10: resource "ibm_is_subnet" "subnet" {\n'
    "│   11:   zone = var.zone\n"
    "Incident ID: 358638ff-5ab5-4b79-8e52-aeac1d23efbe\n"
    "Trace ID: <trace_ID>\n"
    "Error ID: 0a1b2c3d4e"
)


def test_the_envelope_of_an_ibm_cloud_error_is_no_evidence_its_message_is() -> None:
    # The SDK's head and HTTP status before the body, the headers a Go client printed as JSON, JSON literals,
    # Terraform's context of the error (the resource, the file and line, the quoted configuration) and the fields
    # and labels of identifiers say which request, not what broke.
    said = [" ".join(line.split()) for line in normalize(IBM_ENVELOPE).text.split("\n") if line.strip()]
    assert said == [
        (
            'Error: Error creating subnet: { , { , , }, { [{ "The quota of subnets '
            'in this zone is reached. 82f11c7e8fc3"}]}, }'
        ),
        "Error ID: 0a1b2c3d4e",
    ]
    sections = [
        _section(
            "cache",
            "Why are old pages served from the cache?",
            "The origin sends Cache-Control max-age with no-cache, no-store, must-revalidate, and the "
            "Strict-Transport-Security header includeSubDomains in its application/json responses.",
        ),
        _section(
            "terraform",
            "Why does Terraform reject a resource of my configuration?",
            "Terraform names the module and the resource with the file and the line of main.tf, in resource "
            "blocks; a null or true value of a variable.",
        ),
        _section(
            "trace",
            "Where do I find the incident and trace of a request?",
            "Each failed request prints an incident ID, a trace ID and a transaction ID; support asks for them.",
        ),
        _section("quota", "Why can't I create another subnet?", "The quota of subnets of a zone is reached."),
    ]
    assert _top(Matcher(sections), IBM_ENVELOPE) == "quota"
