"""Update: merge a fresh template into a translation catalog.

Like ``msgmerge --previous``, but with the pipeline's states in mind:
  - an unchanged sentence keeps its unit as it is (translation, state, marks);
  - a changed sentence inherits the human translation of the most similar
    vanished sentence, as fuzzy with the previous msgid (needs update);
  - a machine draft is never carried to a changed sentence: the sentence is
    left untranslated so the MT stage drafts it afresh;
  - a vanished sentence with human work becomes obsolete (``#~``) unless
    ``purge`` is asked; a vanished machine draft is dropped (the MT cache
    can give it back);
  - an obsolete unit whose sentence comes back is revived as it was.

Fuzzy candidates are only the sentences that vanished, not every old unit:
that is where an edited sentence's previous version is, and it keeps a new
sentence that merely resembles an existing one from inheriting a wrong
translation. Similarity is rapidfuzz's normalised Indel ratio, the measure
difflib and msgmerge approximate, computed in C++ (the reason babel's
``Catalog.update`` with difflib is too slow for large catalogs).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from pipeline.catalog import POT_STAMP, Catalog, Unit

FUZZY_CUTOFF = 60.0  # percent similarity; msgmerge's threshold is 0.6 too


@dataclass
class MergeReport:
    kept: int = 0
    fuzzy: int = 0
    new: int = 0
    revived: int = 0
    obsolete: int = 0
    dropped_drafts: int = 0


def merge(template: Catalog, old: Catalog | None, *, language: str, purge: bool = False) -> tuple[Catalog, MergeReport]:
    """The new translation catalog for ``template``, keeping ``old``'s work."""
    domain = template.metadata.get("Project-Id-Version", "")
    merged = Catalog.new(domain, language=language)
    report = MergeReport()
    if old is not None:
        _carry_header(old, merged)
    merged.set_metadata(POT_STAMP, template.metadata.get(POT_STAMP, ""))
    old_units = {u.key: u for u in old.units()} if old is not None else {}
    obsolete_units = {u.key: u for u in old.obsolete_units()} if old is not None else {}
    template_keys = {u.key for u in template.units()}
    vanished = [u for key, u in old_units.items() if key not in template_keys and u.msgstr]
    matcher = _SimilarSentence([u for u in vanished if u.has_human_work])
    reused: set[tuple[str | None, str]] = set()

    for fresh in template.units():
        place = {"locations": fresh.locations, "comment": fresh.comment}
        previous = old_units.get(fresh.key)
        if previous is not None:
            merged.copy_unit(previous, **place)
            report.kept += 1
        elif fresh.key in obsolete_units:
            _revive(merged, obsolete_units[fresh.key], place)
            report.revived += 1
        elif (similar := matcher.best(fresh.msgid)) is not None:
            merged.copy_unit(fresh, msgstr=similar.msgstr, flags=["fuzzy"], previous_msgid=similar.msgid,
                             translator_comment=similar.translator_comment, msgctxt=fresh.msgctxt)
            reused.add(similar.key)
            report.fuzzy += 1
        else:
            merged.copy_unit(fresh)
            report.new += 1

    _keep_obsolete(merged, vanished, reused, obsolete_units, template_keys, purge, report)
    return merged, report


def _keep_obsolete(merged, vanished, reused, obsolete_units, template_keys, purge, report) -> None:
    if purge:
        report.dropped_drafts = sum(1 for u in vanished if not u.has_human_work)
        return
    for unit in vanished:
        if unit.key in reused:
            continue
        if unit.has_human_work:
            merged.copy_unit(unit, obsolete=True, locations=[], previous_msgid=None)
            report.obsolete += 1
        else:
            report.dropped_drafts += 1
    for key, unit in obsolete_units.items():
        if key not in template_keys and merged.get(unit.msgid, unit.msgctxt) is None:
            merged.copy_unit(unit, obsolete=True, locations=[], previous_msgid=None)


# Obsolete entries are written without their "#~|" previous source: polib
# skips that line when reading, so writing it would make every second run
# change the file. A fuzzy human translation coming back from obsolete has
# therefore lost which sentence it was made for, and is revived as needing
# an update rather than shown as a finished translation.
def _revive(merged: Catalog, unit: Unit, place: dict) -> None:
    unsure = unit.fuzzy and unit.mt is None and unit.msgstr
    merged.copy_unit(unit, obsolete=False, previous_msgid=unit.msgid if unsure else unit.previous_msgid, **place)


def _carry_header(old: Catalog, merged: Catalog) -> None:
    """Keep what people set in the header (its comment, team, translator, extra
    fields), as msgmerge does."""
    merged.header_comment = old.header_comment
    for name, value in old.metadata.items():
        if name not in ("Language", "Plural-Forms", "Content-Type"):
            merged.set_metadata(name, value)


class _SimilarSentence:
    """Finds the vanished sentence most like a new one."""

    def __init__(self, candidates: list[Unit]):
        self._units = candidates
        self._texts = [u.msgid for u in candidates]

    def best(self, text: str) -> Unit | None:
        if not self._texts:
            return None
        found = process.extractOne(text, self._texts, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return self._units[found[2]] if found else None
