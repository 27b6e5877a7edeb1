"""Indonesian sentence splitter (interim: a helper is replacing this)."""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(\[])")


def split_sentences(text: str) -> list[str]:
    """Split a whitespace-normalised paragraph into sentences.

    Guarantee: ``" ".join(split_sentences(text)) == text`` and no piece is
    empty (for non-empty ``text``).
    """
    if not text:
        return []
    return _BOUNDARY.split(text)
