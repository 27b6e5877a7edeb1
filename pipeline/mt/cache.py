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
from pipeline.mt.engine import ModelIdentity, Translation

CACHE_DIR = Path(".cache") / "mt"  # under the project root; git-ignored
_LOOKUP_CHUNK = 500  # keys per query, under SQLite's limit on bound parameters


class TranslationCache:
    def __init__(self, path: Path):
        self.path = Path(path)
        # Opened on first use, and created only to store: a run that fails before
        # translating anything (a damaged model) leaves no empty file behind.
        self._db: sqlite3.Connection | None = None

    @classmethod
    def for_model(cls, folder: Path, identity: ModelIdentity) -> TranslationCache:
        return cls(Path(folder) / f"{identity.cache_name}.sqlite")

    def lookup(self, sources: Iterable[str]) -> dict[str, Translation]:
        """The cached translation of each source that has one."""
        db = self._open(create=False)
        if db is None:
            return {}
        wanted = list(dict.fromkeys(sources))
        found: dict[str, Translation] = {}
        for start in range(0, len(wanted), _LOOKUP_CHUNK):
            chunk = wanted[start:start + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = db.execute(f"SELECT source, target, score FROM mt WHERE source IN ({marks})", chunk)
            found.update((source, Translation(target, score)) for source, target, score in rows)
        return found

    def store(self, pairs: Iterable[tuple[str, Translation]]) -> None:
        db = self._open(create=True)
        assert db is not None  # create=True opens or raises
        with db:  # one transaction: all of the batch or none of it
            db.executemany("INSERT OR REPLACE INTO mt (source, target, score) VALUES (?, ?, ?)",
                           ((source, t.text, t.score) for source, t in pairs))

    def __len__(self) -> int:
        db = self._open(create=False)
        return 0 if db is None else db.execute("SELECT COUNT(*) FROM mt").fetchone()[0]

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _open(self, *, create: bool) -> sqlite3.Connection | None:
        """The database; None when it does not exist and ``create`` is false."""
        if self._db is None and (create or self.path.exists()):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=60)
                db.execute("CREATE TABLE IF NOT EXISTS mt (source TEXT PRIMARY KEY, target TEXT NOT NULL, score REAL)")
                columns = {row[1] for row in db.execute("PRAGMA table_info(mt)")}
                if "score" not in columns:  # a cache written before drafts had scores
                    db.execute("ALTER TABLE mt ADD COLUMN score REAL")
                db.commit()
            except (OSError, sqlite3.Error) as exc:
                raise EngineError(f"cannot open the translation cache: {exc}", str(self.path)) from None
            self._db = db
        return self._db

    def __enter__(self) -> TranslationCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
