"""Whether a text reads like an error message: the one test that the index writer applies to the docs' blocks
and the matcher to the docs' titles."""

from __future__ import annotations

import re

from troubleshooter.terms import codes_in

#: A block whose wording reads like an error rather than healthy command output.
_ERROR_WORDING = re.compile(
    r"\b(?:error|errors|err[A-Z]+|fail\w*|unable|cannot|can't|could not|couldn't|not found|denied|invalid|"
    r"timed? ?out|timeout|exceeded|forbidden|refused|unauthori[sz]ed|unavailable|not allowed|not supported|"
    r"warning|crashloopbackoff|oomkilled|evicted|pending|unhealthy|critical|exception|no such|missing|"
    r"conflict|rejected|deprecated|not ready|not connected|unknown|prohibited|not authori[sz]ed|insufficient|"
    r"exhausted|quota|cancel+ed|not available|unreachable|no route|backoff)\b",
    re.IGNORECASE,
)
#: Lines that are a command someone types, not output: a name, then words of name-like characters (options
#: included). One character class per word: two overlapping ones (``--flag`` is both an option and a word) made a
#: line of many options that fails at its end take time exponential in their number.
_COMMAND_LINE = re.compile(r"^\s*(?:\$\s+|#\s+|>\s+)?[a-z][\w.-]*(?:\s+[\w./:<>{}=\"'-]+)+\s*$")


def looks_like_error(text: str) -> bool:
    """Whether a code block reads like an error message (not a command or healthy output)."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return False
    if all(_COMMAND_LINE.match(line) and not _ERROR_WORDING.search(line) for line in lines):
        return False
    return bool(_ERROR_WORDING.search(text) or codes_in(text))
