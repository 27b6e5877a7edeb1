"""Loops in machine output: what small translation models do when they lose the thread.

Shared by the MT engine (which decodes such a draft again) and QA (which
flags what is left), so both agree on what a loop is.
"""

from __future__ import annotations

import re

_STUTTER = re.compile(r"\b([^\W\d_]+)(?:[\s,;]+\1\b){2,}", re.IGNORECASE)
_REPEATED_PHRASE = re.compile(r"\b([^\W\d_]+(?:\s+[^\W\d_]+){1,3})[\s,;]+\1\b", re.IGNORECASE)


def stutters(text: str) -> bool:
    """True when a word comes three or more times in a row ("forum forum forum")."""
    return _STUTTER.search(text) is not None


def repeats_phrase(text: str) -> bool:
    """True when a phrase of two to four words comes twice in a row ("human movements, human movements")."""
    return _REPEATED_PHRASE.search(text) is not None
