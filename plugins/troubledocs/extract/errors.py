"""Whether a block of the docs reads like an error, a command, a configuration or a quoted message."""

from __future__ import annotations

import re

from troubleshooter.terms import codes_in
from troubleshooter.wording import looks_like_error

_CONFIG_LINE = re.compile(r"^\s*(?:- |[\w.\-/\"]+:(?:\s|$)|[{}\[\]],?$)")


def is_config(text: str) -> bool:
    """YAML or JSON configuration: several lines, most of them keys or list items."""
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) > 1 and sum(1 for line in lines if _CONFIG_LINE.match(line)) > 0.6 * len(lines)


#: Command-line tools whose invocations fill the resolution steps.
_SHELL_COMMAND = re.compile(
    r"^\s*(?:[$#>]\s*)?(?:sudo\s+)?(?:kubectl|oc|ibmcloud|ic|helm|curl|calicoctl|docker|terraform|export|cat|grep|"
    r"ssh|echo|cd|ls|mkdir|rm|cp|mv|git|openssl|dig|nslookup|ping|systemctl|journalctl|watch|jq|base64|vi|"
    r"apt|apt-get|yum|dnf|pip|python3?|bash|sh|chmod|chown|mount|umount|df|tar|wget)\b"
)


def is_command_block(text: str) -> bool:
    """Every line is an invocation of a command-line tool (or a comment)."""
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("# ")]
    return bool(lines) and all(_SHELL_COMMAND.match(line) for line in lines)


#: Least words of a code span in a symptom's prose that make it a quoted message rather than a name.
MESSAGE_WORDS = 2


def is_message(text: str) -> bool:
    """Whether a code span reads like an error message: an error code, or several words with error wording."""
    if codes_in(text):
        return True
    words = re.findall(r"[A-Za-z]{2,}", text)
    return len(words) >= MESSAGE_WORDS and looks_like_error(text) and not is_command_block(text)
