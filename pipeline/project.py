"""Where a project's files live: sources, catalogs and outputs.

    source/<doc>.<ext>                      the originals (never written)
    locales/<doc>.pot                       templates
    locales/<lang>/LC_MESSAGES/<doc>.po     translations
    build/<lang>/<doc>.<ext>                rendered documents
    idpo.toml                               settings that belong to the documents (optional)

``idpo.toml`` declares, once for every command and make target, the
encoding of a source that is not UTF-8:

    [encodings]
    "laporan-lama.txt" = "cp1252"
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError

SETTINGS_FILE = "idpo.toml"
SOURCE_LANGUAGE = "id"  # the language of every document in source/
TARGET_LANGUAGE = "en"
SOURCE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml")


@dataclass(frozen=True)
class Project:
    root: Path
    language: str = TARGET_LANGUAGE

    @property
    def source_dir(self) -> Path:
        return self.root / "source"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    def documents(self) -> list[Path]:
        """Every document in source/, in name order.

        Only SOURCE_SUFFIXES count, skipped silently like hidden files: a
        stray ``doc.txt.orig``, ``doc.txt~`` or ``notes.docx`` is not a document,
        and a warning here would repeat on every command of every run.
        """
        if not self.source_dir.is_dir():
            raise InputError("no source/ folder here; run from the project root or pass --root", str(self.source_dir))
        found = sorted(
            p for p in self.source_dir.iterdir()
            if not p.name.startswith(".") and p.suffix.lower() in SOURCE_SUFFIXES
        )
        self._refuse_shared_domains(found)
        return found

    def select(self, names: list[str] | None) -> list[Path]:
        """Documents named by path or by domain (file stem); all when none given."""
        if not names:
            return self.documents()
        by_stem = {p.stem: p for p in self.documents()}
        chosen = []
        for name in names:
            path = Path(name)
            if name in by_stem:
                chosen.append(by_stem[name])
            elif path.exists() or path.suffix:
                chosen.append(path if path.is_absolute() else Path.cwd() / path)
            else:
                raise InputError(f"no document named {name!r} in source/", name)
        self._refuse_shared_domains(chosen)  # paths named on the command line may collide too
        return chosen

    def _refuse_shared_domains(self, paths: list[Path]) -> None:
        """Two documents with one stem would share one .pot and .po: the second
        would overwrite the first's template and `update` would turn its
        reviewed units obsolete. Stems are compared case-folded because on
        macOS and Windows Laporan.pot and laporan.pot are the same file."""
        seen: dict[str, Path] = {}
        for path in paths:
            first = seen.setdefault(path.stem.casefold(), path)
            if os.path.abspath(first) != os.path.abspath(path):  # one file named twice is no clash
                raise InputError(
                    f"same domain as {self.display_path(first)} (both would use "
                    f"{self.display_path(self.pot_path(first.stem))}); rename one",
                    self.display_path(path),
                )

    def source_encoding(self, path: Path) -> str | None:
        """The encoding ``idpo.toml`` declares for a source file (by its name), or None for UTF-8."""
        settings = self.root / SETTINGS_FILE
        if not settings.is_file():
            return None
        try:
            declared = tomllib.loads(settings.read_text(encoding="utf-8")).get("encodings", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            where = re.search(r" \(at line (\d+), column \d+\)", str(error))  # tomllib's wording
            message = str(error)[: where.start()] if where else str(error)
            raise InputError(f"not valid TOML: {message}", SETTINGS_FILE, int(where.group(1)) if where else None) \
                from None
        if not isinstance(declared, dict):
            raise InputError("[encodings] must be a table: \"file name\" = \"encoding\"", SETTINGS_FILE)
        encoding = declared.get(Path(path).name)
        return str(encoding) if encoding is not None else None

    def check_inside(self, path: Path) -> None:
        """Refuse a path in the project that leads out of it (a symlink to
        /etc/passwd in source/ would put that file into a committed catalog).
        Paths outside the project, named on the command line, are the user's choice."""
        lexical = Path(os.path.abspath(path))
        root = self.root.resolve()
        if lexical.is_relative_to(root) and not Path(path).resolve().is_relative_to(root):
            raise InputError(
                f"links to a file outside the project ({Path(path).resolve()}); copy it into source/ instead",
                lexical.relative_to(root).as_posix(),
            )

    def display_path(self, path: Path) -> str:
        """The path as catalogs and messages show it: relative to the root, with /."""
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return Path(path).as_posix()

    @property
    def glossary_path(self) -> Path:
        from pipeline.glossary import glossary_path

        return glossary_path(self.locales_dir)

    def pot_path(self, domain: str) -> Path:
        return self.locales_dir / f"{domain}.pot"

    def po_path(self, domain: str) -> Path:
        return self.locales_dir / self.language / "LC_MESSAGES" / f"{domain}.po"

    def output_path(self, source: Path, language: str | None = None) -> Path:
        return self.build_dir / (language or self.language) / Path(source).name
