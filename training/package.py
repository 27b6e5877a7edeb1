"""Package the converted model as an Argos Translate `.argosmodel`.

An .argosmodel is a zip holding one folder with `metadata.json`, the
CTranslate2 model in `model/`, `sentencepiece.model` and a `README.md` (the
model card). It also carries `spacy/`, a blank spaCy Indonesian pipeline:
with ARGOS_CHUNK_TYPE=SPACY argostranslate 1.11 loads it and adds spaCy's
rule-based sentencizer, the one sentence-splitting path that needs no
download (its default MiniSBD splitter fetches an ONNX model on first use).
The zip is written with fixed timestamps and sorted entries, so the same
inputs give the same bytes.
"""

import argparse
import json
import shutil
import tempfile
import tomllib
import zipfile
from pathlib import Path

import spacy

ARGOS_VERSION = "1.11.0"
ZIP_TIMESTAMP = (2024, 1, 1, 0, 0, 0)
CODE_NAME = "translate-id_en"


def package_folder_name(version: str) -> str:
    return f"{CODE_NAME}-{version.replace('.', '_')}"


def metadata(version: str, convert_info: dict) -> dict:
    return {
        "package_version": version,
        "argos_version": ARGOS_VERSION,
        "from_code": "id",
        "from_name": "Indonesian",
        "to_code": "en",
        "to_name": "English",
        "type": "translate",
        "model_name": "id-en-pipeline-small",
        "model_version": version,
        "training_step": convert_info.get("step"),
    }


def stage_package(staging: Path, args, version: str) -> Path:
    root = staging / package_folder_name(version)
    root.mkdir()
    convert_info = json.loads((args.work_dir / "convert_info.json").read_text())
    (root / "metadata.json").write_text(json.dumps(metadata(version, convert_info), indent=2) + "\n")
    staged = args.staged or args.work_dir
    shutil.copytree(staged / ("model" if args.staged else "ct2-int8"), root / "model")
    shutil.copy(staged / "sentencepiece.model", root / "sentencepiece.model")
    shutil.copy(args.model_card, root / "README.md")
    shutil.copytree(args.model_card.parent / "licenses", root / "licenses")
    spacy.blank("id").to_disk(root / "spacy")
    return root


def write_zip(folder: Path, destination: Path) -> None:
    partial = destination.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            entry = zipfile.ZipInfo(str(path.relative_to(folder.parent)), date_time=ZIP_TIMESTAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, path.read_bytes())
    partial.replace(destination)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=Path("training/config.toml"))
    parser.add_argument("--work-dir", type=Path, default=Path("training/work"))
    parser.add_argument("--model-card", type=Path, default=Path("models/README.md"))
    parser.add_argument("--output-dir", type=Path, default=Path("models"))
    parser.add_argument("--staged", type=Path, default=None,
                        help="a folder with model/ and sentencepiece.model, as convert.py --checkpoint leaves "
                             "<work>/package (default: <work>/ct2-int8 and <work>/sentencepiece.model)")
    args = parser.parse_args()
    with args.config.open("rb") as handle:
        version = tomllib.load(handle)["package"]["version"]
    args.output_dir.mkdir(parents=True, exist_ok=True)
    destination = args.output_dir / f"{package_folder_name(version)}.argosmodel"
    with tempfile.TemporaryDirectory() as staging:
        write_zip(stage_package(Path(staging), args, version), destination)
    print(f"wrote {destination} ({destination.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
