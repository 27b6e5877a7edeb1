"""Exchange: translation catalogs as TMX 1.4b and XLIFF 2.0, and XLIFF back.

TMX carries reviewed units to translation memories (when asked, also
translations not reviewed yet, ``<prop type="x-state">translated</prop>``,
and MT drafts, ``mt-draft`` with the model in ``<prop type="x-mt-model">``). XLIFF carries every unit, with its state,
to a CAT tool and back:

    pipeline state   XLIFF segment                                 target
    untranslated     state="initial"                               none
    MT draft         state="translated" subState="idpo:mt-draft",  the draft
                     note category="mt": engine model version
    needs update     state="translated" subState="idpo:needs-update",
                     note category="previous-source": the old msgid  the old translation
    translated       state="translated"                            the translation
    reviewed         state="reviewed"                              the translation

Import applies what the XLIFF says and nothing else: a target that differs
from the .po becomes the translation, reviewed when its state is
``reviewed`` or ``final`` and fuzzy otherwise; an unchanged target with
``reviewed``/``final`` approves the unit. An empty or missing target, or a
lower state on an unchanged target, changes nothing: import never clears a
translation or takes back a review. So an unedited export imports back to
the very same bytes. Units the XLIFF does not list are left alone.

Each exported unit carries a fingerprint of its .po entry and of its segment
as exported, so an old export cannot undo newer work: a unit whose entry
changed in the .po since the export keeps the .po's version when its segment
is as exported, and refuses the whole import (a conflict) when the segment was
edited too and would change the entry. Files exported without fingerprints
import as before, unchecked.

Unit ids are a hash of msgctxt and msgid, so they stay the same across
exports and cannot silently point at another sentence after ``make update``.

Everything written is validated with lxml against the schemas in
``pipeline/schemas`` (subsets of the official grammars, written from the
specifications), and every XLIFF read is validated before it is applied.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources

from lxml import etree

from pipeline.catalog import PROJECT, Catalog, State, Unit
from pipeline.document import Document
from pipeline.errors import CatalogError, InputError, OutOfDateError
from pipeline.extract import segment_keys
from pipeline.project import SOURCE_LANGUAGE
from pipeline.wording import count

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# Fingerprints go in the Metadata module (<mda:metadata>), XLIFF 2.0's standard place for a tool's
# own data in a <unit>: valid against the official schemas, left in place by tools that do not
# process it (Translate Toolkit keeps it, see the tests), and not shown to translators as a <note>
# would be, where it could be edited. A custom attribute is an extension, which tools drop more often.
MDA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"
FINGERPRINT = "idpo:export"  # the metaGroup category
XLIFF_SCHEMA = "xliff-core-2.0-subset.xsd"
TMX_DTD = "tmx-1.4b-subset.dtd"
TMX_DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
TOOL_VERSION = "1"  # of this exporter's output, not of the package: keeps files stable across releases

SUBSTATE_MT = "idpo:mt-draft"
SUBSTATE_NEEDS_UPDATE = "idpo:needs-update"
EXPORTED_STATES = {
    State.UNTRANSLATED: ("initial", None),
    State.MT_DRAFT: ("translated", SUBSTATE_MT),
    State.NEEDS_UPDATE: ("translated", SUBSTATE_NEEDS_UPDATE),
    State.TRANSLATED: ("translated", None),
    State.REVIEWED: ("reviewed", None),
}
APPROVED_STATES = frozenset({"reviewed", "final"})


def check_current(document: Document, catalog: Catalog) -> None:
    """Refuse a catalog whose units are not exactly the document's sentences."""
    sentences = list(dict.fromkeys(segment_keys(document).values()))
    present = {unit.key for unit in catalog.units()}
    where = catalog.path or document.domain
    missing = [key for key in sentences if key not in present]
    if missing:
        raise OutOfDateError(
            f"no catalog entry for {_short(missing[0][1])} (and {len(missing) - 1} more); "
            "the catalog is out of date, run `make update`",
            where,
        )
    known = set(sentences)
    stale = [unit for unit in catalog.units() if unit.key not in known]
    if stale:
        raise OutOfDateError(
            f"{len(stale)} catalog entries are no longer in {document.path}, e.g. {_short(stale[0].msgid)}; "
            "the catalog is out of date, run `make update`",
            where,
            stale[0].line,
        )


# -- TMX ----------------------------------------------------------------------

def export_tmx(catalog: Catalog, *, include_drafts: bool = False) -> bytes:
    """Reviewed units (and MT drafts if asked) as a TMX 1.4b document."""
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        {
            "creationtool": PROJECT,
            "creationtoolversion": TOOL_VERSION,
            "segtype": "sentence",
            "o-tmf": "PO",
            "adminlang": "en",
            "srclang": SOURCE_LANGUAGE,
            "datatype": "plaintext",
        },
    )
    body = etree.SubElement(root, "body")
    # With drafts: a person's unapproved translation too, never left out where raw MT goes in.
    wanted = {State.REVIEWED, State.TRANSLATED, State.MT_DRAFT} if include_drafts else {State.REVIEWED}
    for unit in catalog.units():
        if unit.state in wanted:
            with _as_xml(catalog, unit):
                _tmx_unit(body, unit, _target_language(catalog))
    data = etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True, doctype=TMX_DOCTYPE)
    _check_written(data, validate_tmx)
    return data


def _tmx_unit(body: etree._Element, unit: Unit, language: str) -> None:
    tu = etree.SubElement(body, "tu", tuid=unit.uid)
    _prop(tu, "x-state", unit.state.value)
    if unit.state is State.MT_DRAFT and unit.mt is not None:
        _prop(tu, "x-mt-model", unit.mt.identity)
    if unit.msgctxt is not None:
        _prop(tu, "x-context", unit.msgctxt)
    for lang, text in ((SOURCE_LANGUAGE, unit.msgid), (language, unit.msgstr)):
        tuv = etree.SubElement(tu, "tuv", {f"{{{XML_NS}}}lang": lang})
        etree.SubElement(tuv, "seg").text = text


def _prop(parent: etree._Element, kind: str, text: str) -> None:
    etree.SubElement(parent, "prop", type=kind).text = text


def validate_tmx(data: bytes) -> list[tuple[int, str]]:
    """Problems found against the TMX DTD, as (line, message); empty when valid."""
    return _problems(data, _tmx_dtd())


# -- XLIFF export -------------------------------------------------------------

def export_xliff(catalog: Catalog, *, original: str) -> bytes:
    """Every unit of ``catalog`` as an XLIFF 2.0 document; ``original`` names the source file."""
    if not len(catalog):
        raise CatalogError("no units to export (XLIFF needs at least one)", catalog.path)
    root = etree.Element(
        _x("xliff"),
        nsmap={None: XLIFF_NS, "mda": MDA_NS},
        version="2.0",
        srcLang=SOURCE_LANGUAGE,
        trgLang=_target_language(catalog),
    )
    domain = catalog.metadata.get("Project-Id-Version") or "document"
    file = etree.SubElement(root, _x("file"), id=_nmtoken(domain), original=original)
    file.set(f"{{{XML_NS}}}space", "preserve")  # targets come back exactly as written
    for unit in catalog.units():
        with _as_xml(catalog, unit):
            _xliff_unit(file, unit)
    data = etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)
    _check_written(data, validate_xliff)
    return data


def _xliff_unit(file: etree._Element, unit: Unit) -> None:
    element = etree.SubElement(file, _x("unit"), id=unit.uid)
    metadata = etree.SubElement(element, _mda("metadata"))  # filled below; modules come first in a unit
    notes = _notes(unit)
    if notes:
        holder = etree.SubElement(element, _x("notes"))
        for category, text in notes:
            etree.SubElement(holder, _x("note"), category=category).text = text
    state, sub_state = EXPORTED_STATES[unit.state]
    segment = etree.SubElement(element, _x("segment"), state=state)
    if sub_state:
        segment.set("subState", sub_state)
    etree.SubElement(segment, _x("source")).text = unit.msgid
    if unit.msgstr and unit.state is not State.UNTRANSLATED:  # a stale draft of another sentence is no target
        etree.SubElement(segment, _x("target")).text = unit.msgstr
    group = etree.SubElement(metadata, _mda("metaGroup"), category=FINGERPRINT)
    etree.SubElement(group, _mda("meta"), type="po-entry").text = unit.version
    etree.SubElement(group, _mda("meta"), type="segment").text = _segment_version(unit.msgstr, state)


def _segment_version(target: str, state: str) -> str:
    """A hash of what import acts on. Approval, not the state: "reviewed" and "final" are the same to it."""
    approved = "approved" if state in APPROVED_STATES else ""
    return hashlib.sha256(f"{approved}\x1f{target}".encode()).hexdigest()[:16]


def _notes(unit: Unit) -> list[tuple[str, str]]:
    """What a translator needs beside the sentence: where it is, its context, the MT engine."""
    notes = []
    if unit.locations:
        notes.append(("location", " ".join(f"{path}:{line}" for path, line in unit.locations)))
    if unit.comment:
        notes.append(("context", unit.comment))
    if unit.msgctxt is not None:
        notes.append(("msgctxt", unit.msgctxt))
    if unit.translator_comment:
        notes.append(("translator", unit.translator_comment))
    if unit.state is State.MT_DRAFT and unit.mt is not None:
        notes.append(("mt", f"{unit.mt.engine} {unit.mt.model} {unit.mt.version}"))
    if unit.state is State.NEEDS_UPDATE and unit.previous_msgid is not None:
        notes.append(("previous-source", unit.previous_msgid))
    return notes


def validate_xliff(data: bytes) -> list[tuple[int, str]]:
    """Problems found against the XLIFF schema, as (line, message); empty when valid."""
    return _problems(data, _xliff_schema())


def _problems(data: bytes, grammar: etree.DTD | etree.XMLSchema) -> list[tuple[int, str]]:
    """Validate ``data`` against a DTD or schema: (line, message) per problem."""
    if grammar.validate(etree.fromstring(data, _safe_parser())):
        return []
    return [(error.line, error.message) for error in grammar.error_log]


# -- XLIFF import -------------------------------------------------------------

@dataclass(frozen=True)
class Fingerprint:
    """A unit as exported: ``Unit.version`` of its .po entry, ``_segment_version`` of its segment."""
    entry: str
    segment: str


@dataclass(frozen=True)
class XliffSegment:
    unit_id: str
    source: str
    target: str  # "" when the segment has no target
    state: str
    line: int
    exported: Fingerprint | None = None  # None: exported before fingerprints, or a tool dropped it


@dataclass(frozen=True)
class XliffFile:
    original: str | None
    target_language: str | None
    segments: tuple[XliffSegment, ...]
    line: int = 0


@dataclass
class ImportReport:
    reviewed: int = 0  # new or changed translations marked reviewed/final, and approvals
    translated: int = 0  # changed translations not yet reviewed (fuzzy)
    unchanged: int = 0
    untouched: int = 0  # no target in the XLIFF

    @property
    def changed(self) -> int:
        return self.reviewed + self.translated


def parse_xliff(data: bytes, shown: str) -> list[XliffFile]:
    """The ``<file>`` elements of an XLIFF 2.0 document, checked; InputError with the line if not."""
    try:
        root = etree.fromstring(data, _safe_parser())
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not well-formed XML: {exc.msg}", shown, exc.lineno) from None
    if root.tag != _x("xliff"):
        raise InputError(f"not an XLIFF 2.0 document (root element {root.tag!r}; XLIFF 1.2 is not read)", shown, 1)
    _check_one_plain_segment(root, shown)
    problems = validate_xliff(data)
    if problems:
        line, message = problems[0]
        raise InputError(f"not valid XLIFF 2.0: {message}", shown, line)
    return [_xliff_file(element, root.get("trgLang")) for element in root.iter(_x("file"))]


def _check_one_plain_segment(root: etree._Element, shown: str) -> None:
    """Clearer messages than the schema's for the two ways a CAT tool may reshape units."""
    for unit in root.iter(_x("unit")):
        segments = unit.findall(_x("segment"))
        if len(segments) > 1:
            raise InputError(
                f"unit {unit.get('id')} has {len(segments)} segments; units are single sentences, "
                "join the segments again (the pipeline segments sentences itself)",
                shown,
                unit.sourceline,
            )
        for text in unit.iter(_x("source"), _x("target")):
            if len(text):
                raise InputError(
                    f"{_describe_node(text[0])} in a {etree.QName(text).localname} of unit {unit.get('id')}; "
                    "units hold plain text only",
                    shown,
                    text[0].sourceline,
                )


def _describe_node(node: etree._Element) -> str:
    if isinstance(node, etree._Entity):  # left unexpanded: input may come from anyone
        return f"entity reference {node.text} (write the character itself)"
    if isinstance(node, etree._Comment):
        return "an XML comment"
    if isinstance(node, etree._ProcessingInstruction):
        return "a processing instruction"
    return f"inline markup <{etree.QName(node).localname}>"


def _xliff_file(element: etree._Element, target_language: str | None) -> XliffFile:
    segments = []
    for unit in element.iter(_x("unit")):
        segment = unit.find(_x("segment"))
        target = segment.find(_x("target"))
        segments.append(
            XliffSegment(
                unit_id=unit.get("id"),
                source=segment.findtext(_x("source")) or "",
                target=(target.text or "") if target is not None else "",
                state=segment.get("state", "initial"),
                line=unit.sourceline,
                exported=_fingerprint(unit),
            )
        )
    return XliffFile(element.get("original"), target_language, tuple(segments), element.sourceline)


def _fingerprint(unit: etree._Element) -> Fingerprint | None:
    path = f"{_mda('metadata')}/{_mda('metaGroup')}[@category='{FINGERPRINT}']/{_mda('meta')}"
    meta = {element.get("type"): element.text or "" for element in unit.iterfind(path)}
    if "po-entry" in meta and "segment" in meta:
        return Fingerprint(meta["po-entry"], meta["segment"])
    return None


def apply_xliff(xliff: XliffFile, catalog: Catalog, shown: str) -> ImportReport:
    """Bring the XLIFF's translations into ``catalog``; check every unit before changing any."""
    language = _target_language(catalog)
    if xliff.target_language and xliff.target_language.lower() != language.lower():
        raise InputError(f"trgLang is {xliff.target_language!r} but {catalog.path} is for {language!r}", shown)
    units = _units_by_id(catalog)
    pairs = [(_known_unit(segment, units, catalog, shown), segment) for segment in xliff.segments]
    plans = [(unit, segment, _plan(unit, segment)) for unit, segment in pairs]
    conflicts = [segment for _, segment, plan in plans if plan == "conflict"]
    if conflicts:
        first = conflicts[0]
        raise InputError(
            f"unit {first.unit_id} ({_short(first.source)}) was edited both in this file and in {catalog.path} "
            f"since the export ({count(len(conflicts), 'unit')} in conflict); nothing imported: export again with "
            "`idpo xliff export` and carry the edits over",
            shown,
            first.line,
        )
    report = ImportReport()
    for unit, segment, plan in plans:
        if plan in ("reviewed", "translated"):
            unit.set_translation(segment.target, reviewed=plan == "reviewed")
        setattr(report, plan, getattr(report, plan) + 1)
    return report


def _units_by_id(catalog: Catalog) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for unit in catalog.units():
        other = units.setdefault(unit.uid, unit)
        if other is not unit:  # 64 bits of SHA-256: never seen, but never silently wrong either
            raise CatalogError(f"two units share the id {unit.uid}", catalog.path, unit.line)
    return units


def _known_unit(segment: XliffSegment, units: dict[str, Unit], catalog: Catalog, shown: str) -> Unit:
    unit = units.get(segment.unit_id)
    if unit is None:
        raise InputError(
            f"unit {segment.unit_id} ({_short(segment.source)}) is not in {catalog.path}: the source changed "
            "since the export (or the file is for another document); export again with `idpo xliff export` "
            "and carry the edits over",
            shown,
            segment.line,
        )
    if segment.source != unit.msgid:
        raise InputError(
            f"the source of unit {segment.unit_id} was edited ({_short(segment.source)}, "
            f"the catalog has {_short(unit.msgid)}); change the Indonesian in source/, not in the XLIFF",
            shown,
            segment.line,
        )
    return unit


def _plan(unit: Unit, segment: XliffSegment) -> str:
    """What importing the segment does to ``unit``: the ImportReport field to count it in, or "conflict"."""
    approved = segment.state in APPROVED_STATES
    if not segment.target:
        return "untouched"
    if segment.target == unit.msgstr:
        outcome = "reviewed" if approved and unit.state is not State.REVIEWED else "unchanged"
    else:
        outcome = "reviewed" if approved else "translated"
    exported = segment.exported
    if outcome == "unchanged" or exported is None or exported.entry == unit.version:
        return outcome
    # The .po entry changed since the export: a segment left as exported is stale, not a decision.
    return "conflict" if exported.segment != _segment_version(segment.target, segment.state) else "unchanged"


# -- shared -------------------------------------------------------------------

def _x(name: str) -> str:
    return f"{{{XLIFF_NS}}}{name}"


def _mda(name: str) -> str:
    return f"{{{MDA_NS}}}{name}"


def _target_language(catalog: Catalog) -> str:
    """The catalog's language as BCP 47 wants it in XML ("pt_BR" -> "pt-BR")."""
    return (catalog.language or "en").replace("_", "-")


def _nmtoken(text: str) -> str:
    return re.sub(r"[^\w.:-]", "_", text) or "document"


def _short(text: str, width: int = 50) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")


@contextmanager
def _as_xml(catalog: Catalog, unit: Unit) -> Iterator[None]:
    """Text that XML cannot hold (control characters) is an error in the catalog, at the unit."""
    try:
        yield
    except ValueError as exc:
        raise CatalogError(f"cannot be written as XML: {exc}", catalog.path, unit.line) from None


def _check_written(data: bytes, validate) -> None:
    problems = validate(data)
    if problems:  # a bug here, not bad input: say where in the generated file
        line, message = problems[0]
        raise AssertionError(f"generated XML is not valid at line {line}: {message}")


def _safe_parser() -> etree.XMLParser:
    """No DTD loading, entity expansion or network: input may come from anyone."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@cache
def _xliff_schema() -> etree.XMLSchema:
    with resources.as_file(resources.files("pipeline") / "schemas" / XLIFF_SCHEMA) as path:
        return etree.XMLSchema(etree.parse(str(path)))


@cache
def _tmx_dtd() -> etree.DTD:
    with resources.as_file(resources.files("pipeline") / "schemas" / TMX_DTD) as path:
        return etree.DTD(str(path))
