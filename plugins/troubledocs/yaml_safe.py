"""Load an authored YAML text (front matter, ``toc.yaml``, ``keyref.yaml``) at a cost bounded by its size.

YAML aliases (``*name``) repeat a node without repeating its text: nine nested lists of nine aliases each (a
"billion laughs") expand a few hundred bytes into gigabytes once a value is printed or copied. Documentation
metadata has no use for them, so an alias is refused as a YAML error at its line, like any other syntax error.
"""

from __future__ import annotations

from typing import Any

import yaml

#: libyaml's safe loader when PyYAML has it (a 900-line toc.yaml takes 0.4 s with the pure-Python one).
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class AliasRefused(yaml.MarkedYAMLError):
    """An alias in a text loaded by :func:`load_yaml`; ``problem_mark`` is where it is written."""


def load_yaml(text: str) -> Any:
    """``text`` parsed with a safe loader; raises :class:`yaml.YAMLError` (:class:`AliasRefused` for an alias)."""
    if "*" in text:  # no alias without one: most texts skip the extra pass over the events
        for event in yaml.parse(text, Loader=SAFE_LOADER):
            if isinstance(event, yaml.AliasEvent):
                where = event.start_mark
                raise AliasRefused(
                    problem=f"alias *{event.anchor} refused (aliases can expand without bound)",
                    problem_mark=yaml.Mark("", 0, where.line, where.column, "", 0) if where else None,
                )
    return yaml.load(text, Loader=SAFE_LOADER)
