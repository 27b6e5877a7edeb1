"""Counts in messages that agree with their number: "1 sentence", "2 sentences"."""

from __future__ import annotations


def count(number: int, noun: str, plural: str | None = None) -> str:
    """``number`` and ``noun``, the noun in the plural unless the number is 1."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def are(number: int) -> str:
    """The verb that agrees: "1 sentence is", "2 sentences are"."""
    return "is" if number == 1 else "are"
