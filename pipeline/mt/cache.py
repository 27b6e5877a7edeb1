"""Translations already made, kept per model so a re-run sends nothing new.

One SQLite file per model identity, ``.cache/mt/<identity>.sqlite``, with the
masked source sentence as key. SQLite because it is in the standard library,
commits atomically (a killed run keeps every batch it committed) and looks
up thousands of keys at once. The cache is a convenience, not a record:
deleting ``.cache/`` only costs time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from pipeline.errors import EngineError
from pipeline.mt.engine import ModelIdentity

CACHE_DIR = Path(".cache") / "mt"  # under the project root; git-ignored
_LOOKUP_CHUNK = 500  # keys per query, under SQLite's limit on bound parameters


class TranslationCache:
    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=60)
            self._db.execute("CREATE TABLE IF NOT EXISTS mt (source TEXT PRIMARY KEY, target TEXT NOT NULL)")
            self._db.commit()
        except (OSError, sqlite3.Error) as exc:
            raise EngineError(f"cannot open the translation cache: {exc}", str(self.path)) from None

    @classmethod
    def for_model(cls, folder: Path, identity: ModelIdentity) -> TranslationCache:
        return cls(Path(folder) / f"{identity.cache_name}.sqlite")

    def lookup(self, sources: Iterable[str]) -> dict[str, str]:
        """The cached translation of each source that has one."""
        wanted = list(dict.fromkeys(sources))
        found: dict[str, str] = {}
        for start in range(0, len(wanted), _LOOKUP_CHUNK):
            chunk = wanted[start:start + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            found.update(self._db.execute(f"SELECT source, target FROM mt WHERE source IN ({marks})", chunk))
        return found

    def store(self, pairs: Iterable[tuple[str, str]]) -> None:
        with self._db:  # one transaction: all of the batch or none of it
            self._db.executemany("INSERT OR REPLACE INTO mt (source, target) VALUES (?, ?)", pairs)

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM mt").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> TranslationCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
