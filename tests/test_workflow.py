"""The stages end to end through the CLI, in a scratch project."""

from __future__ import annotations

import argparse
import subprocess
import textwrap
from pathlib import Path

import pytest

from pipeline.catalog import State, load_catalog
from pipeline.cli import main
from pipeline.project import Project

DOMAIN = "bali-process"


def run(project: Path, *args: str) -> int:
    return main([*args[:1], "--root", str(project), *args[1:]])


def extract_and_update(project: Path) -> None:
    assert run(project, "extract") == 0
    assert run(project, "update") == 0


def snapshot(project: Path) -> dict[str, bytes]:
    return {str(p.relative_to(project)): p.read_bytes()
            for p in sorted((project / "locales").rglob("*")) if p.is_file() and not is_lock_file(p)}


def is_lock_file(path: Path) -> bool:
    """A catalog's lock file: run-time state (git-ignored) that holds the last writer's process id."""
    return path.name.startswith(".") and path.name.endswith(".lock")


def test_extract_update_english_from_scratch(project):
    assert run(project, "extract") == 0
    assert run(project, "update") == 0
    paths = Project(project)
    template, catalog = load_catalog(paths.pot_path(DOMAIN)), load_catalog(paths.po_path(DOMAIN))
    assert [u.msgid for u in template.units()] == [u.msgid for u in catalog.units()]
    assert all(u.state is State.UNTRANSLATED for u in catalog.units())
    first = catalog.units()[0]
    assert first.locations == [("source/bali-process.txt", 1)]
    assert first.comment == "block 1 (paragraph), sentence 1 of 5"
    assert run(project, "english") == 0
    english = paths.output_path(paths.source_dir / "bali-process.txt").read_text(encoding="utf-8")
    assert english.startswith("Dalam forum ini")  # nothing translated yet: Indonesian kept


def test_running_extract_and_update_twice_changes_no_byte(project):
    extract_and_update(project)
    before = snapshot(project)
    extract_and_update(project)
    assert snapshot(project) == before


def test_every_written_file_passes_msgfmt_check(project):
    extract_and_update(project)
    written = [path for path in sorted((project / "locales").rglob("*.po*")) if not is_lock_file(path)]
    assert sorted(p.suffix for p in written) == [".po", ".pot"]  # both were written
    for path in written:
        result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, f"{path}: {result.stderr}"


def test_a_reflowed_source_changes_no_translation(project):
    extract_and_update(project)
    po_path = Project(project).po_path(DOMAIN)
    catalog = load_catalog(po_path)
    for unit in catalog.units():
        unit.set_translation(f"EN {unit.msgid}", reviewed=True)
    from pipeline.catalog import save_catalog

    save_catalog(catalog, po_path)
    source = project / "source" / "bali-process.txt"
    text = source.read_text(encoding="utf-8")
    body, chrome = text.split("[1] ")
    # rewrap the body: join each paragraph's lines, break at other places, add blank lines
    paragraphs = [" ".join(p.split()) for p in body.split("\n\n")]
    source.write_text("\n".join(_rewrap(p, 50) for p in paragraphs) + "\n[1] " + chrome, encoding="utf-8")
    extract_and_update(project)
    after = load_catalog(po_path)
    assert [(u.msgid, u.msgstr, u.state) for u in after.units()] == [
        (u.msgid, u.msgstr, u.state) for u in catalog.units()
    ]
    assert after.obsolete_units() == []


def _rewrap(paragraph: str, width: int) -> str:
    import textwrap

    return textwrap.fill(paragraph, width=width, break_long_words=False, break_on_hyphens=False)


def test_errors_are_one_line_with_file_and_line(project, capsys):
    bad = project / "source" / "latin1.txt"
    bad.write_bytes("Kalimat pertama.\nKafé kedua.\n".encode("latin-1"))
    assert run(project, "extract", "latin1") == 3
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert err.startswith("error: source/latin1.txt:2: ")
    assert not (project / "locales" / "latin1.pot").exists()


def test_an_explicit_encoding_reads_a_legacy_file(project):
    (project / "source" / "latin1.txt").write_bytes("Kafé pertama.\n".encode("cp1252"))
    assert run(project, "extract", "latin1", "--encoding", "cp1252") == 0
    assert load_catalog(Project(project).pot_path("latin1")).units()[0].msgid == "Kafé pertama."


def test_update_without_a_template_says_what_to_run(project, capsys):
    assert run(project, "update") == 4
    assert "run `make extract` first" in capsys.readouterr().err


def test_a_broken_catalog_is_refused_and_left_alone(project, capsys):
    extract_and_update(project)
    po_path = Project(project).po_path(DOMAIN)
    broken = po_path.read_text(encoding="utf-8").replace('msgstr ""\n\n#.', 'msgstr "oops\n\n#.', 1)
    po_path.write_text(broken, encoding="utf-8")
    assert run(project, "update") == 4
    assert "unterminated string" in capsys.readouterr().err
    assert po_path.read_text(encoding="utf-8") == broken


@pytest.mark.parametrize("boilerplate,expected", [("drop", False), ("translate", True)])
def test_boilerplate_option_decides_whether_chrome_is_translated(project, boilerplate, expected):
    run(project, "extract", "--boilerplate", boilerplate)
    msgids = [u.msgid for u in load_catalog(Project(project).pot_path(DOMAIN)).units()]
    assert ("Posting Komentar" in msgids) is expected


def test_english_says_why_an_edited_sentence_is_back_in_indonesian(project, capsys):
    from pipeline.catalog import save_catalog

    assert run(project, "extract") == 0 and run(project, "update") == 0
    po = Project(project).po_path(DOMAIN)
    catalog = load_catalog(po)
    first = catalog.units()[0]
    first.set_translation("In this forum the countries are not only focused.", reviewed=True)
    save_catalog(catalog, po)
    source = project / "source" / "bali-process.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("forum ini negara", "forum itu negara", 1),
                      encoding="utf-8")
    assert run(project, "extract") == 0 and run(project, "update") == 0
    capsys.readouterr()
    assert run(project, "english") == 0
    assert "1 sentence changed in the source since their translation: shown in Indonesian" in capsys.readouterr().err


def test_an_encoding_declared_once_in_idpo_toml_serves_every_command(project, capsys):
    source = project / "source" / "laporan-lama.txt"
    source.write_bytes("\u201cKerjasama\u201d regional sangat penting.\n\nKafe ditutup.\n".encode("cp1252"))
    assert run(project, "extract", "laporan-lama") == 3  # not UTF-8, and nothing says otherwise
    assert "iconv -f CP1252 -t UTF-8" in capsys.readouterr().err
    (project / "idpo.toml").write_text('[encodings]\n"laporan-lama.txt" = "cp1252"\n', encoding="utf-8")
    for command in ("extract", "update", "english", "bilingual"):  # as `make` runs them: no --encoding
        assert run(project, command, "laporan-lama") == 0, command
    english = (project / "build" / "en" / "laporan-lama.txt").read_text(encoding="utf-8")
    assert "\u201cKerjasama\u201d" in english  # shown in Indonesian until translated, decoded right
    (project / "idpo.toml").write_text('[encodings\n"laporan-lama.txt" = "cp1252"\n', encoding="utf-8")
    capsys.readouterr()
    assert run(project, "extract", "laporan-lama") == 3
    assert capsys.readouterr().err.startswith("error: idpo.toml:1: not valid TOML")


@pytest.mark.parametrize("number, text", [(0, "0 units"), (1, "1 unit"), (2, "2 units")])
def test_counts_in_messages_agree_with_their_number(number, text):
    from pipeline.wording import count

    assert count(number, "unit") == text


@pytest.mark.parametrize("argv", [["english", "--keep", "150"], ["english", "--width", "-5"],
                                  ["translate", "--threads", "0"], ["translate", "--batch-size", "x"]])
def test_out_of_range_option_values_are_usage_errors(project, argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        run(project, *argv)
    assert stopped.value.code == 2
    assert "error: argument" in capsys.readouterr().err


def test_every_command_explains_itself_and_its_defaults():
    from pipeline.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in commands.choices.items():
        assert command.description, f"{name} --help has no description"
    assert "(default: 80)" in commands.choices["english"].format_help()
    assert "(default: 127.0.0.1" in commands.choices["review"].format_help()


PARAGRAPHS = [  # wrapped at 70, each paragraph ends on a short line
    ["Forum ini membahas penyelundupan manusia di kawasan Asia Pasifik.",
     "Negara anggota bertemu setiap tahun di Bali bersama para menteri.", "Mereka sepakat."],
    ["Kerjasama regional sangat penting bagi negara asal dan negara tujuan.",
     "Setiap negara mengirim wakil ke kelompok kerja.", "Kelompok kerja menyusun laporan."],
    ["Laporan itu diterbitkan secara terbuka.", "Masyarakat dapat membacanya di situs resmi forum.",
     "Komentar dari masyarakat juga diterima.", "Semua komentar dibahas."],
    ["Tahun depan forum akan membahas isu pengungsi.", "Isu ini semakin penting di kawasan.",
     "Banyak negara menyambut rencana itu."],
]


def paragraphs_of(project: Path) -> list[list[str]]:
    """The .pot's paragraphs: the sentences of each block, in order."""
    blocks: dict[int, list[str]] = {}
    for unit in load_catalog(project / "locales" / "laporan.pot").units():
        number = int(unit.comment.split()[1])
        blocks.setdefault(number, []).append(unit.msgid)
    return [blocks[number] for number in sorted(blocks)]


def test_paragraph_boundaries_in_text_without_blank_lines_survive_ordinary_edits(project):
    """Delete a paragraph's last sentence, append one to another, rewrap a third: each edit can leave a
    paragraph's last line full, where line lengths no longer show the break."""

    source = project / "source" / "laporan.txt"
    (project / "source" / "bali-process.txt").unlink()

    def write(paragraphs, widths):
        text = "\n".join(textwrap.fill(" ".join(p), w) for p, w in zip(paragraphs, widths, strict=True))
        source.write_text(text + "\n", encoding="utf-8")

    write(PARAGRAPHS, [70] * 4)
    assert run(project, "extract") == 0
    assert paragraphs_of(project) == PARAGRAPHS
    edited = [PARAGRAPHS[0][:-1],
              [*PARAGRAPHS[1], "Laporan tambahan disusun oleh sekretariat forum."],
              PARAGRAPHS[2], PARAGRAPHS[3]]
    write(edited, [70, 70, 58, 70])
    lines = source.read_text(encoding="utf-8").splitlines()
    assert lines[1].endswith("menteri.") and len(lines[1]) > 60  # the first paragraph now ends on a full line
    assert lines[4].endswith("forum.") and len(lines[4]) > 60  # and so does the second
    assert run(project, "extract") == 0 and run(project, "update") == 0
    assert paragraphs_of(project) == edited
    write(edited, [64, 64, 64, 64])  # a reflow alone changes no sentence and no paragraph
    assert run(project, "extract") == 0
    assert paragraphs_of(project) == edited


def test_strict_renders_each_complete_document_and_refuses_each_incomplete_one_by_name(project, capsys):
    (project / "source" / "selesai.txt").write_text("Kalimat pertama.\n", encoding="utf-8")
    extract_and_update(project)
    po = Project(project).po_path("selesai")
    catalog = load_catalog(po)
    catalog.units()[0].set_translation("The first sentence.", reviewed=True)
    from pipeline.catalog import save_catalog

    save_catalog(catalog, po)
    assert run(project, "english") == 0  # a rendering of every document, drafts and all
    assert (project / "build" / "en" / "bali-process.txt").is_file()
    capsys.readouterr()
    assert run(project, "english", "--strict") == 6
    err = capsys.readouterr().err
    assert (project / "build" / "en" / "selesai.txt").read_text(encoding="utf-8") == "The first sentence.\n"
    # the refused document's earlier rendering would publish what --strict holds back: it goes, and is named
    assert not (project / "build" / "en" / "bali-process.txt").exists()
    assert err.splitlines()[-2].startswith("error: locales/en/LC_MESSAGES/bali-process.po: strict mode: 19 of ")
    assert err.splitlines()[-1] == "  removed build/en/bali-process.txt, an earlier rendering of that document"


@pytest.mark.parametrize("text", [
    "\n".join(textwrap.fill(" ".join(p), 70) for p in PARAGRAPHS) + "\n",
    # a sentence that begins the text comes back mid-paragraph at the start of a line
    "Laporan ini disusun oleh tim kecil kami dalam waktu yang sangat singkat sekali.\n"
    "Semua data berasal dari survei lapangan yang dilakukan pada bulan lalu di desa.\n"
    "Hasilnya cukup baik dan kami berharap dapat melanjutkan pekerjaan ini tahun depan.\n"
    "Para peserta datang dari berbagai daerah di seluruh pulau Jawa dan juga Sumatra.\n"
    "Laporan ini disusun oleh tim kecil kami dalam waktu yang sangat singkat sekali.\n"
    "Semua peserta menerima sertifikat pada akhir acara yang berlangsung meriah itu.\n",
], ids=["four paragraphs", "a repeated sentence"])
def test_extract_is_the_same_with_or_without_its_own_template(project, text):
    """The remembered paragraphs are a memory of this very text: they must not change it."""
    (project / "source" / "bali-process.txt").unlink()
    (project / "source" / "laporan.txt").write_text(text, encoding="utf-8")
    assert run(project, "extract") == 0
    first = (project / "locales" / "laporan.pot").read_bytes()
    assert run(project, "extract") == 0  # now with its own template as memory
    assert (project / "locales" / "laporan.pot").read_bytes() == first


def test_help_shows_real_defaults_and_none_for_switches():
    from pipeline.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    english = " ".join(commands.choices["english"].format_help().split())
    translate = " ".join(commands.choices["translate"].format_help().split())
    assert "(default: 0)" in english.split("--keep N refuse", 1)[1].split("--keep-counts", 1)[0]
    assert "(default: True)" not in translate and "(default: False)" not in translate


def test_an_output_folder_in_the_way_is_one_error_line(project, capsys):
    extract_and_update(project)
    (project / "build").mkdir()
    (project / "build" / "bilingual").write_text("not a folder", encoding="utf-8")
    capsys.readouterr()
    assert run(project, "bilingual") == 1
    err = capsys.readouterr().err
    assert err.startswith("error: build/bilingual/bali-process.html: cannot write") and "Traceback" not in err
