"""Indonesian numbers and dates in their English form: shared by MT masking and QA.

Indonesian groups digits with dots and writes decimals with a comma
(``1.250``, ``12,5``); English does the opposite. Only forms that cannot
mean anything else are converted: ``1.250`` is one thousand two hundred and
fifty in Indonesian, while ``1.25`` could be a decimal in either language.
"""

from __future__ import annotations

import re

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
