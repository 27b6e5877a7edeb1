"""Argos packages in the project: install, list, choose, load.

    models/<name>.argosmodel   packages shipped with the project (in git)
    models/installed/<name>/   installed packages (git-ignored)
    .cache/argos/              Argos's own data, config and download folders

Everything stays inside the project: argostranslate otherwise creates
folders under the user's home when imported, and reads settings from there.
Listing and choosing read ``metadata.json`` directly, so ``stats`` can say
which model drafts would come from without importing argostranslate.

Which model ``translate`` uses: ``--model`` when given; otherwise the newest
id->en package among those installed and those shipped in ``models/``; a
shipped one is installed on first use. No model at all is one EngineError
saying how to install one.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.errors import EngineError, InputError, NoModelError
from pipeline.project import SOURCE_LANGUAGE, Project

PACKAGES_DIR = Path("models") / "installed"
SHIPPED_GLOB = "models/*.argosmodel"
ARGOS_HOME = Path(".cache") / "argos"
INDEX_TIMEOUT_S = 20
NO_MODEL_HELP = (
    "no {source}->{target} translation model installed. Install one with\n"
    "  idpo model install PATH.argosmodel      (a downloaded Argos package), or\n"
    "  idpo model install --from-index translate-{source}_{target}   (needs internet)\n"
    "or put the project's shipped package back in models/ (git checkout models/)"
)


@dataclass(frozen=True)
class ModelInfo:
    """An Argos package, installed (a folder) or shipped (an .argosmodel file)."""

    name: str  # e.g. "translate-id_en"
    version: str
    from_code: str
    to_code: str
    path: Path
    installed: bool

    @property
    def id(self) -> str:
        """What ``--model`` accepts: the installed folder's name."""
        return self.path.name if self.installed else self.path.stem

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"


class ModelStore:
    def __init__(self, root: Path, *, source: str = SOURCE_LANGUAGE, target: str = "en"):
        self.root = Path(root)
        self.source, self.target = source, target
        self.packages_dir = self.root / PACKAGES_DIR
        self.argos_home = self.root / ARGOS_HOME
        self.shown = Project(self.root).display_path  # paths in messages: relative to the project

    # -- what there is -------------------------------------------------------------
    def installed(self) -> list[ModelInfo]:
        if not self.packages_dir.is_dir():
            return []
        found = []
        for folder in sorted(self.packages_dir.iterdir()):
            metadata = folder / "metadata.json"
            if folder.is_dir() and not folder.name.startswith(".") and metadata.is_file():
                try:
                    found.append(_info(json.loads(metadata.read_text(encoding="utf-8")), folder, installed=True))
                except (ValueError, OSError):
                    continue  # a broken folder is not a model; `model list` simply omits it
        return found

    def shipped(self) -> list[ModelInfo]:
        found = []
        for path in sorted(self.root.glob(SHIPPED_GLOB)):
            try:
                with zipfile.ZipFile(path) as archive:
                    _, metadata = _package_layout(archive, str(path))
            except (zipfile.BadZipFile, EngineError, OSError):
                continue  # reported when someone installs it; here it is just not a candidate
            found.append(_info(metadata, path, installed=False))
        return found

    def current(self) -> ModelInfo | None:
        """The package ``translate`` would use now, without installing anything."""
        candidates = self._pair(self.installed())
        installed = {(m.name, m.version) for m in candidates}
        candidates += [m for m in self._pair(self.shipped()) if (m.name, m.version) not in installed]
        return max(candidates, key=lambda m: (_version_key(m.version), m.installed, m.id), default=None)

    def choose(self, wanted: str | None = None) -> ModelInfo:
        """The package to translate with; installs a shipped one when that is the choice."""
        if wanted:
            return self._named(wanted)
        model = self.current()
        if model is None:
            raise NoModelError(NO_MODEL_HELP.format(source=self.source, target=self.target))
        return model if model.installed else self.install_file(model.path)

    def _pair(self, models: list[ModelInfo]) -> list[ModelInfo]:
        return [m for m in models if (m.from_code, m.to_code) == (self.source, self.target)]

    def _named(self, wanted: str) -> ModelInfo:
        installed = self.installed()
        matches = [m for m in installed if wanted in (m.id, m.name, m.label, f"{m.name}-{m.version}")]
        if not matches:
            known = ", ".join(m.id for m in installed) or "none"
            raise EngineError(f"no installed model {wanted!r} (installed: {known}); see `idpo model list`")
        return max(matches, key=lambda m: _version_key(m.version))

    # -- installing ----------------------------------------------------------------
    def install_file(self, path: Path) -> ModelInfo:
        """Unpack an .argosmodel into the packages folder, replacing an older copy."""
        path, shown = Path(path), str(path)
        if not path.is_file():  # the user's input, not the engine: a bad-input error like a missing source
            raise InputError("no such file" if not path.exists() else "not a file", shown)
        created = _missing_folders(self.packages_dir)
        self.packages_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".install-", dir=self.packages_dir))
        try:
            folder = _unpack(path, shown, staging)
            target = self.packages_dir / folder
            _swap_in(staging / folder, target, staging / ".replaced", self.shown(target))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            _remove_if_empty(created)  # a failed install leaves the project as it found it
            raise
        shutil.rmtree(staging, ignore_errors=True)
        return _info(json.loads((target / "metadata.json").read_text(encoding="utf-8")), target, installed=True)

    def install_from_index(self, wanted: str, *, index_url: str | None = None) -> ModelInfo:
        """Download a package named in Argos's online index, then install it."""
        with self.argos() as (argos_package, settings):
            url = index_url or settings.remote_package_index
            entries = json.loads(_download(url, "the Argos package index"))
            available = [argos_package.AvailablePackage(entry) for entry in entries]
            chosen = [p for p in available if wanted in (argos_package.argospm_package_name(p),
                                                         f"{p.from_code}_{p.to_code}", getattr(p, "code", None))]
            if not chosen:
                pairs = sorted(argos_package.argospm_package_name(p) for p in available if p.to_code == self.target)
                raise EngineError(f"no package {wanted!r} in the Argos index; packages into {self.target}: "
                                  f"{', '.join(pairs) or 'none'}", url)
            package = chosen[0]
            downloads = Path(settings.downloads_dir)
            downloads.mkdir(parents=True, exist_ok=True)
            target = downloads / f"{argos_package.argospm_package_name(package)}.argosmodel"
            target.write_bytes(_download_first(package.links, str(package)))
        try:
            return self.install_file(target)
        finally:
            target.unlink(missing_ok=True)

    # -- loading -------------------------------------------------------------------
    def open_engine(self, model: ModelInfo, **engine_options):
        """An ArgosEngine for an installed package (imports ctranslate2 and sentencepiece)."""
        with self.argos() as (argos_package, _):
            try:
                package = argos_package.Package(model.path)
            except (OSError, ValueError) as exc:
                raise EngineError(f"cannot read the installed package: {exc}", self.shown(model.path)) from None
        from pipeline.mt.argos import ArgosEngine

        return ArgosEngine(package, shown=self.shown(model.path), **engine_options)

    @contextmanager
    def argos(self):
        """``argostranslate.package`` and ``.settings``, pointed at this project's folders.

        argostranslate reads its folders from the environment when first
        imported (creating them under ~ by default), so the environment is
        set for the import and the module-level settings are pointed here
        again on every use, in case another project imported it first.
        """
        data, config, cache = (self.argos_home / name for name in ("data", "config", "cache"))
        with _environment(XDG_DATA_HOME=data, XDG_CONFIG_HOME=config, XDG_CACHE_HOME=cache,
                          ARGOS_PACKAGES_DIR=self.packages_dir, ARGOS_DEVICE_TYPE="cpu"):
            try:
                from argostranslate import package, settings
            except OSError as exc:  # argostranslate makes its folders at import: .cache/ may be a file
                raise EngineError(f"cannot set up Argos's folders: {exc.strerror or exc}",
                                  self.shown(Path(exc.filename)) if getattr(exc, "filename", None) else None) from None
        settings.package_data_dir = self.packages_dir
        settings.package_dirs = [self.packages_dir]
        settings.downloads_dir = cache / "argos-translate" / "downloads"
        settings.local_package_index = data / "argos-translate" / "index.json"
        yield package, settings


# -- helpers ------------------------------------------------------------------------

def _info(metadata: dict, path: Path, *, installed: bool) -> ModelInfo:
    name = f"{metadata.get('type', 'translate')}-{metadata.get('from_code')}_{metadata.get('to_code')}"
    return ModelInfo(name, str(metadata.get("package_version", "0")), str(metadata.get("from_code")),
                     str(metadata.get("to_code")), path, installed)


def _version_key(version: str):
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version), "")
    except InvalidVersion:
        return (0, Version("0"), version)


def _package_layout(archive: zipfile.ZipFile, shown: str) -> tuple[str, dict]:
    """The package's top folder and metadata; EngineError unless it is a usable Argos package."""
    names = archive.namelist()
    tops = {PurePosixPath(n).parts[0] for n in names if n.strip("/")}
    unsafe = [n for n in names if n.startswith("/") or ".." in PurePosixPath(n).parts or "\\" in n]
    if unsafe:
        raise EngineError(f"refusing a package with unsafe paths: {unsafe[0]}", shown)
    if len(tops) != 1:
        raise EngineError("not an Argos package: expected one top-level folder", shown)
    top = tops.pop()
    required = [f"{top}/metadata.json", f"{top}/model/model.bin", f"{top}/sentencepiece.model"]
    missing = [n for n in required if n not in names]
    if missing:
        raise EngineError(f"not an Argos package: {missing[0].split('/', 1)[1]} is missing", shown)
    try:
        metadata = json.loads(archive.read(f"{top}/metadata.json").decode("utf-8"))
    except (ValueError, zipfile.BadZipFile) as exc:
        raise EngineError(f"the package's metadata.json is unreadable: {exc}", shown) from None
    if not isinstance(metadata, dict) or not metadata.get("from_code") or not metadata.get("to_code"):
        raise EngineError("the package's metadata.json lacks from_code/to_code", shown)
    return top, metadata


def _unpack(path: Path, shown: str, staging: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            folder, _ = _package_layout(archive, shown)
            try:
                broken = archive.testzip()
            except zlib.error:
                broken = "a member"
            if broken is not None:
                raise EngineError(f"corrupt package: {broken} fails its checksum", shown)
            archive.extractall(staging)
    except zipfile.BadZipFile:
        raise EngineError("corrupt or truncated package: an .argosmodel must be a zip archive", shown) from None
    except (OSError, EOFError, zlib.error, zipfile.LargeZipFile) as exc:
        raise EngineError(f"cannot unpack the package: {exc}", shown) from None
    return folder


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and those of its parents that do not exist yet, innermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    return missing


def _remove_if_empty(folders: list[Path]) -> None:
    for folder in folders:  # innermost first, so each is empty once the one inside it is gone
        try:
            folder.rmdir()
        except OSError:
            return


def _swap_in(new: Path, target: Path, parking: Path, shown: str) -> None:
    """Put ``new`` at ``target``; an older copy is moved aside first and back if that fails."""
    if target.exists():
        target.rename(parking)
    try:
        new.rename(target)
    except OSError as exc:
        if parking.exists():
            parking.rename(target)
        raise EngineError(f"cannot install into {PurePosixPath(shown).parent}: {exc.strerror}", shown) from None


def _download(url: str, what: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=INDEX_TIMEOUT_S) as response:
            return response.read()
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise EngineError(
            f"cannot download {what} ({reason}); offline? Download the .argosmodel on a connected "
            "machine and run `idpo model install FILE`",
            url,
        ) from None


def _download_first(links: list[str], what: str) -> bytes:
    if not links:
        raise EngineError(f"the index gives no download link for {what}")
    errors: list[EngineError] = []
    for link in links:
        try:
            return _download(link, what)
        except EngineError as exc:
            errors.append(exc)
    raise errors[-1]


@contextmanager
def _environment(**values: Path | str):
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update({name: str(value) for name, value in values.items()})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
