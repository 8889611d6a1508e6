"""troubleshooter: find the troubleshooting section that explains a pasted error.

Standard library only; runs in CPython 3.11+ and in Pyodide. Usage::

    from troubleshooter import Matcher
    matcher = Matcher.from_json(index_text)      # the JSON that ``troubledocs index`` writes
    answer = matcher.match(paste, top=5)         # never raises on any string
    answer.to_dict()

``Answer.to_dict()`` is::

    {
      "matches": [                               # best first, at most ``top``
        {
          "page": "ts-x.md",                     # source path relative to the docs root
          "anchor": "section-id",
          "title": "Why does …?",                # keywords resolved
          "url": "ts-x/#section-id",             # relative to the site root
          "score": 12.3456,                      # higher is better; comparable within one answer
          "captures": {"cluster_name_or_ID": "mycluster"},   # paste values at the docs' placeholders
          "evidence": {
            "text": "The docs' error text that matched (or the symptom when only words matched)",
            "spans": [[start, end], …]           # character ranges of ``text`` to highlight
          }
        }
      ],
      "confident": true,                         # false: "no confident match" (the error may be uncovered)
      "confidence": 0.83,                        # 0..1 for the top match; confident from 0.5
      "notice": null                             # or a sentence for the reader, e.g. the paste was cut
    }
"""

from troubleshooter.model import Answer, Evidence, IndexFormatError, Match, Section
from troubleshooter.rank import Matcher

__all__ = ["Answer", "Evidence", "IndexFormatError", "Match", "Matcher", "Section"]
