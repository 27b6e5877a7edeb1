"""Indonesian numbers and dates in their English form: shared by MT masking and QA.

Indonesian groups digits with dots and writes decimals with a comma
(``1.250``, ``12,5``); English does the opposite. Only forms that cannot
mean anything else are converted: ``1.250`` is one thousand two hundred and
fifty in Indonesian, while ``1.25`` could be a decimal in either language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

ID_MONTHS = {
    "januari": "January", "februari": "February", "maret": "March", "april": "April",
    "mei": "May", "juni": "June", "juli": "July", "agustus": "August",
    "september": "September", "oktober": "October", "november": "November", "desember": "December",
}
ID_MONTH_ABBREVIATIONS = {
    "jan": "Jan", "feb": "Feb", "mar": "Mar", "apr": "Apr", "jun": "Jun", "jul": "Jul",
    "agu": "Aug", "agt": "Aug", "ags": "Aug", "sep": "Sep", "okt": "Oct", "nov": "Nov", "des": "Dec",
}

# A number as written in running text: "1.250,75" is one number, "2015." ends a sentence.
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")


def english_number(text: str) -> str:
    """Indonesian digit grouping to English where it cannot mean anything else."""
    body, percent = (text[:-1], "%") if text.endswith("%") else (text, "")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", body):  # 1.250 / 1.250,75
        integer, _, decimals = body.partition(",")
        return integer.replace(".", ",") + ("." + decimals if decimals else "") + percent
    if re.fullmatch(r"\d+,\d{1,2}", body):  # 12,5
        return body.replace(",", ".") + percent
    return text


def english_month_names(text: str) -> str:
    """Indonesian month names and abbreviations in ``text`` in English ("26 Juni 2015" -> "26 June 2015")."""
    names = ID_MONTHS | ID_MONTH_ABBREVIATIONS
    return re.sub(r"[^\W\d_]+", lambda m: names.get(m.group().casefold(), m.group()), text)


# -- numbers as values: what the QA check compares ------------------------------------------------

@dataclass(frozen=True)
class Mention:
    """A number in a text and the values it may stand for."""

    text: str  # as written
    values: frozenset  # Fractions, and ("time", minutes after midnight) for clock times
    spelled: bool = False  # in words: may match a number, but is never reported missing or extra


# A number as a token: "1.250,75", "12,5%", "07.30", "28th", and glued to a unit or "pm" ("160km", "3pm").
_DIGITS = re.compile(r"(?<![\w.,])\d+(?:[.,:]\d+)*%?(?:[^\W\d_]+)?(?![\w])")
_UNIT = re.compile(r"[^\W\d_]+$")
_DAY_HALF = re.compile(r"\s*([ap])\.?\s?m\b\.?", re.IGNORECASE)  # "7:30 a.m.", "3 pm"
_ID_UNITS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
             "sembilan": 9}
_ID_WORD = re.compile(r"\b(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|seratus|seribu"
                      r"|sejuta|belas|puluh|ratus|ribu|juta)\b", re.IGNORECASE)
_EN_SMALL = {word: value for value, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_EN_TENS = {word: 10 * (index + 2) for index, word in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split())}
_EN_ORDINALS = {word: index + 1 for index, word in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth".split())} | {
    word: 10 * (index + 2) for index, word in enumerate(
        "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split())}
_EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6}
_EN_WORD = re.compile(r"\b(?:" + "|".join([*_EN_SMALL, *_EN_TENS, *_EN_ORDINALS, *_EN_SCALES]) + r")\b",
                      re.IGNORECASE)


def indonesian_mentions(text: str) -> list[Mention]:
    """Numbers in Indonesian text: digits (1.250 is 1250, 12,5 is 12.5, 07.30 a time) and number words."""
    mentions = [Mention(m.group(), _indonesian_values(m.group()) | {m.group()}) for m in _DIGITS.finditer(text)]
    return mentions + [Mention(words, frozenset({value}), spelled=True) for words, value in _word_runs(
        text, _ID_WORD, _indonesian_words_value)]


# Thousands grouped with a no-break or thin space, as SI style writes them ("200 000"). A plain
# space is left alone: "Top 10 2013" is two numbers.
_SPACE_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:[\u00a0\u2009\u202f]\d{3})+(?![\d.,]\d)")


def english_mentions(text: str) -> list[Mention]:
    """Numbers in English text: digits (1,250; 12.5; 28th; 7:30 p.m.; 200\u202f000) and number words
    ("fifty", "second")."""
    text = _SPACE_GROUPED.sub(lambda m: re.sub(r"\D", "", m.group()), text)
    mentions = []
    for match in _DIGITS.finditer(text):
        glued = _UNIT.search(match.group())
        half = re.fullmatch(r"([ap])m", glued.group(), re.IGNORECASE) if glued else _DAY_HALF.match(text, match.end())
        values = _english_values(match.group(), half.group(1).lower() if half else "") | {match.group()}
        mentions.append(Mention(match.group(), values))  # as written too: a number copied as it was
    return mentions + [Mention(words, frozenset({value}), spelled=True) for words, value in _word_runs(
        text, _EN_WORD, _english_words_value)]


def _indonesian_values(token: str) -> frozenset:
    body = _UNIT.sub("", token).rstrip("%")  # "160km", "abad ke-15"
    if re.fullmatch(r"\d{1,2}[.:]\d{2}", body) and _clock(body):
        return frozenset({_clock(body)})  # "07.30", "19.30": Indonesian decimals take a comma
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", body):
        return frozenset({Fraction(body.replace(".", "").replace(",", "."))})
    if re.fullmatch(r"\d+(?:,\d+)?", body):
        return frozenset({Fraction(body.replace(",", "."))})
    return frozenset({token, english_number(token)})  # "1.2.3": matched as written


def _english_values(token: str, half: str) -> frozenset:
    body = _UNIT.sub("", token).rstrip("%")  # "28th", "160km", "3pm"
    values: set = set()
    if re.fullmatch(r"\d{1,2}[.:]\d{2}", body) and _clock(body, half):
        values.add(_clock(body, half))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", body):
        values.add(Fraction(body.replace(",", "")))
        if half and re.fullmatch(r"\d{1,2}", body):  # "3 pm"
            values.add(_clock(f"{body}:00", half))
    return frozenset(values) or frozenset({token})


def _clock(text: str, half: str = "") -> tuple[str, int] | None:
    hours, minutes = (int(part) for part in re.split(r"[.:]", text))
    if half == "p" and hours < 12:
        hours += 12
    elif half == "a" and hours == 12:
        hours = 0
    return ("time", hours * 60 + minutes) if hours <= 24 and minutes < 60 else None


def _word_runs(text: str, word: re.Pattern[str], value_of) -> list[tuple[str, int]]:
    """Runs of number words ("tujuh ribu delapan ratus", "twenty-six") and their values."""
    runs: list[list[str]] = []
    current: list[str] = []
    last_end = -1
    for match in word.finditer(text):
        if current and not re.fullmatch(r"[\s-]*(?:and\s+)?", text[last_end:match.start()], re.IGNORECASE):
            runs.append(current)
            current = []
        current.append(match.group().lower())
        last_end = match.end()
    if current:
        runs.append(current)
    found = []
    for words in runs:
        value = value_of(words)
        if value is not None:
            found.append((" ".join(words), value))
    return found


def _indonesian_words_value(words: list[str]) -> int | None:
    total, current = 0, 0
    for word in words:
        if word in _ID_UNITS:
            current += _ID_UNITS[word]
        elif word == "sepuluh":
            current += 10
        elif word == "sebelas":
            current += 11
        elif word == "belas":
            current += 10
        elif word == "puluh":
            current *= 10
        elif word in ("ratus", "seratus"):
            current = (current or 1) * 100 if word == "ratus" else current + 100
        elif word in ("ribu", "seribu"):
            total += (current or 1) * 1000 if word == "ribu" else 1000
            current = 0
        elif word in ("juta", "sejuta"):
            total += (current or 1) * 10**6 if word == "juta" else 10**6
            current = 0
    value = total + current
    return value or None


def _english_words_value(words: list[str]) -> int | None:
    total, current = 0, 0
    for word in words:
        if word in _EN_SMALL:
            current += _EN_SMALL[word]
        elif word in _EN_TENS:
            current += _EN_TENS[word]
        elif word in _EN_ORDINALS:
            current += _EN_ORDINALS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        else:
            total += (current or 1) * _EN_SCALES[word]
            current = 0
    return total + current
