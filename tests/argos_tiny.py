"""A tiny but real Argos Translate package, built offline in about a second.

    from tests.argos_tiny import build_tiny_argosmodel
    path = build_tiny_argosmodel(tmp_dir)               # copies its input
    path = build_tiny_argosmodel(tmp_dir, mangle=True)  # garbles every digit
    path = shared_tiny_argosmodel()                     # built once per process (fixtures)

The package has what a real id->en package has: ``metadata.json``, a
SentencePiece model trained on a little Indonesian and English text, and a
CTranslate2 Transformer in ``model/`` written with ctranslate2's numpy-only
spec API. Its weights are not trained: they are fixed pseudo-random codes
arranged so that the model copies its source, token by token:

  - every token and every position gets a balanced +-1 code (near-orthogonal);
  - self-attention and feed-forward blocks output zeros;
  - the decoder's cross-attention matches its own position to the source
    position, and passes that source token's code on;
  - the output projection is the token codes, so the copied token wins;
  - the source ends in </s> (``add_source_eos``), so copying it ends decoding.

A copying model makes tests exact (masks must come back where they went in)
without asserting anything about translation quality. With ``mangle=True``
the projection rows of pieces holding a digit are zeroed: the model can never
write a digit, so it breaks every mask that contains one, which is what the
mask-recovery tests need. Same arguments, same bytes: the build is
deterministic (fixed seed, one SentencePiece thread, fixed zip timestamps).
"""

from __future__ import annotations

import atexit
import functools
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

import numpy as np

FROM_CODE, TO_CODE = "id", "en"
TOKEN_DIMS = 192  # width of the token codes
POSITION_DIMS = 128  # width of the position codes
MAX_POSITIONS = 1024  # longest input, in pieces
VOCAB_SIZE = 400
ATTENTION_SHARPNESS = 5.0  # query scale: keeps cross-attention on one position
OUTPUT_GAIN = 0.5  # projection scale: keeps the copied token far ahead
SEED = 20240611

TRAINING_TEXT = """\
Bali Process adalah forum regional untuk menangani penyelundupan manusia.
The Bali Process is a regional forum to address people smuggling.
Pertemuan tingkat menteri pertama diadakan di Bali pada tahun 2002.
The first ministerial meeting was held in Bali in 2002.
Kerjasama regional sangat penting bagi negara asal, negara transit dan negara tujuan.
Regional cooperation is important for countries of origin, transit countries and destination countries.
Perdagangan manusia adalah kejahatan transnasional yang terorganisir.
Human trafficking is a transnational organised crime.
Anggota Bali Process telah mencapai 50 negara anggota dan organisasi internasional.
Members of the Bali Process have reached 50 member states and international organisations.
Laporan ini diakses melalui www.baliprocess.net pada tanggal 26 Juni 2015.
This report was accessed through www.baliprocess.net on 26 June 2015.
Hubungi kami di info@example.org atau https://example.org/kontak untuk informasi.
Contact us at info@example.org or https://example.org/contact for information.
Penegakan hukum dan manajemen perbatasan memerlukan kerjasama peradilan pidana internasional.
Law enforcement and border management require international criminal justice cooperation.
Pengungsi dan imigran ilegal melintasi perbatasan laut setiap tahun.
Refugees and irregular migrants cross the sea border every year.
Sekitar 1.250 orang tiba pada bulan Maret, naik 12,5% dari tahun lalu.
About 1,250 people arrived in March, up 12.5% from last year.
Ad Hoc Group dan Senior Official bertemu pada 3 Mei 2013 di Jakarta.
The Ad Hoc Group and the Senior Official met on 3 May 2013 in Jakarta.
Kalimat ini punya catatan kaki.[1] Yang ini juga.[2]
This sentence has a footnote.[1] This one too.[2]
0 1 2 3 4 5 6 7 8 9 10 20 30 100 2000 2010 2015 2020
"""


def build_tiny_argosmodel(dest_dir: Path, *, mangle: bool = False, version: str | None = None) -> Path:
    """Write ``translate-id_en-<version>.argosmodel`` into ``dest_dir`` and return its path."""
    version = version or ("0.0.1+mangle" if mangle else "0.0.1")
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    folder_name = f"translate-{FROM_CODE}_{TO_CODE}-{version.replace('.', '_').replace('+', '_')}"
    with tempfile.TemporaryDirectory() as scratch:
        package_dir = Path(scratch) / folder_name
        package_dir.mkdir()
        pieces = _train_sentencepiece(package_dir / "sentencepiece.model")
        _write_model(pieces, package_dir / "model", mangle=mangle)
        _write_metadata(package_dir, version, mangle)
        target = dest_dir / f"{folder_name}.argosmodel"
        _zip_deterministically(package_dir, target)
    return target


@functools.cache
def shared_tiny_argosmodel(*, mangle: bool = False) -> Path:
    """One build per process, in a temporary folder removed at exit; treat it as read-only."""
    folder = Path(tempfile.mkdtemp(prefix="argos-tiny-"))
    atexit.register(shutil.rmtree, folder, True)
    return build_tiny_argosmodel(folder, mangle=mangle)


# -- SentencePiece ------------------------------------------------------------

def _train_sentencepiece(target: Path) -> list[str]:
    import io

    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(TRAINING_TEXT.splitlines()),
        model_writer=model,  # no file paths recorded in the model: same bytes anywhere
        vocab_size=VOCAB_SIZE,
        hard_vocab_limit=False,  # the corpus is too small for a fixed size
        model_type="unigram",
        character_coverage=1.0,
        pad_id=0, unk_id=1, bos_id=2, eos_id=3,
        pad_piece="<blank>", unk_piece="<unk>", bos_piece="<s>", eos_piece="</s>",
        num_threads=1,  # one thread: the same pieces on every run
        minloglevel=2,
    )
    target.write_bytes(model.getvalue())
    processor = spm.SentencePieceProcessor(model_file=str(target))
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


# -- the CTranslate2 model ----------------------------------------------------

def _balanced_codes(rng: np.random.Generator, count: int, width: int) -> np.ndarray:
    """``count`` rows of +-1, each with as many +1 as -1 (mean 0, variance 1)."""
    base = np.array([1.0] * (width // 2) + [-1.0] * (width // 2), dtype=np.float32)
    return np.stack([rng.permutation(base) for _ in range(count)])


def _write_model(pieces: list[str], model_dir: Path, *, mangle: bool) -> None:
    from ctranslate2.specs import transformer_spec

    vocab = len(pieces)
    width = TOKEN_DIMS + POSITION_DIMS
    rng = np.random.default_rng(SEED)
    token_codes = _balanced_codes(rng, vocab, TOKEN_DIMS)
    position_codes = _balanced_codes(rng, MAX_POSITIONS, POSITION_DIMS)
    tokens_only = np.diag([1.0] * TOKEN_DIMS + [0.0] * POSITION_DIMS).astype(np.float32)
    positions_only = np.diag([0.0] * TOKEN_DIMS + [1.0] * POSITION_DIMS).astype(np.float32)

    spec = transformer_spec.TransformerSpec.from_config((1, 1), num_heads=1)
    spec.config.add_source_eos = True
    for side in (spec.encoder, spec.decoder):
        side.scale_embeddings = False
        side.position_encodings.encodings = np.hstack([np.zeros((MAX_POSITIONS, TOKEN_DIMS)), position_codes])
        _zero_sublayers(side.layer[0], width)
        _identity_norm(side.layer_norm, width)
    spec.encoder.embeddings[0].weight = np.hstack([token_codes, np.zeros((vocab, POSITION_DIMS))])
    spec.decoder.embeddings.weight = np.zeros((vocab, width), dtype=np.float32)

    cross = spec.decoder.layer[0].attention
    _identity_norm(cross.layer_norm, width)
    cross.linear[0].weight = positions_only * ATTENTION_SHARPNESS  # query: where am I
    cross.linear[0].bias = np.zeros(width, dtype=np.float32)
    cross.linear[1].weight = np.vstack([positions_only, tokens_only])  # key: where; value: what
    cross.linear[1].bias = np.zeros(2 * width, dtype=np.float32)
    cross.linear[2].weight = tokens_only
    cross.linear[2].bias = np.zeros(width, dtype=np.float32)

    projection = np.hstack([token_codes, np.zeros((vocab, POSITION_DIMS))]) * OUTPUT_GAIN
    if mangle:
        for index, piece in enumerate(pieces):
            if any(ch.isdigit() for ch in piece):
                projection[index] = 0.0
    spec.decoder.projection.weight = projection
    spec.decoder.projection.bias = np.zeros(vocab, dtype=np.float32)

    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.validate()
    model_dir.mkdir()
    spec.save(str(model_dir))


def _zero_sublayers(layer, width: int) -> None:
    """Self-attention and feed-forward that add nothing to the residual stream."""
    attention, ffn = layer.self_attention, layer.ffn
    _identity_norm(attention.layer_norm, width)
    attention.linear[0].weight = np.zeros((3 * width, width), dtype=np.float32)
    attention.linear[0].bias = np.zeros(3 * width, dtype=np.float32)
    attention.linear[1].weight = np.zeros((width, width), dtype=np.float32)
    attention.linear[1].bias = np.zeros(width, dtype=np.float32)
    _identity_norm(ffn.layer_norm, width)
    ffn.linear_0.weight = np.zeros((4, width), dtype=np.float32)
    ffn.linear_0.bias = np.zeros(4, dtype=np.float32)
    ffn.linear_1.weight = np.zeros((width, 4), dtype=np.float32)
    ffn.linear_1.bias = np.zeros(width, dtype=np.float32)


def _identity_norm(norm, width: int) -> None:
    norm.gamma = np.ones(width, dtype=np.float32)
    norm.beta = np.zeros(width, dtype=np.float32)


# -- packaging ----------------------------------------------------------------

def _write_metadata(package_dir: Path, version: str, mangle: bool) -> None:
    metadata = {
        "package_version": version,
        "argos_version": "1.11",
        "from_code": FROM_CODE,
        "from_name": "Indonesian",
        "to_code": TO_CODE,
        "to_name": "English",
        "type": "translate",
        "links": [],
    }
    (package_dir / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    kind = "garbles every digit" if mangle else "copies its input"
    (package_dir / "README.md").write_text(
        f"Test package built by tests/argos_tiny.py: untrained, it {kind}. Not a translation model.\n",
        encoding="utf-8",
    )


def _zip_deterministically(package_dir: Path, target: Path) -> None:
    """Zip with sorted names and a fixed timestamp, so equal inputs give equal bytes."""
    root = package_dir.parent
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in package_dir.rglob("*")):
            name = path.relative_to(root).as_posix() + ("/" if path.is_dir() else "")
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (0o40755 if path.is_dir() else 0o100644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, b"" if path.is_dir() else path.read_bytes())
