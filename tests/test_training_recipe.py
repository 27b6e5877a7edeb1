"""The training recipe end to end at a tiny size on the CPU: plumbing, not quality.

The GPU recipe (`training/gpu_recipe.py`) runs on the CPU when no GPU is
present, so its whole path (workers, selection, the weights-only checkpoint
in parts, conversion with the torch/CTranslate2 check, evaluation) is
exercised here in seconds; then `train.py --init-from` continues that
checkpoint and `convert.py --write-checkpoint` writes the next one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch", reason="training needs torch (installed by make setup)")
spm = pytest.importorskip("sentencepiece")

ROOT = Path(__file__).resolve().parent.parent
TRAINING = ROOT / "training"

PAIRS = [
    ("Saya tinggal di Jakarta.", "I live in Jakarta."),
    ("Rumah saya dekat pasar.", "My house is near the market."),
    ("Dia membaca buku setiap hari.", "She reads a book every day."),
    ("Kami pergi ke sekolah pada tahun 2010.", "We went to school in 2010."),
    ("Harga beras naik 12 persen.", "The price of rice rose 12 percent."),
    ("Kerjasama regional sangat penting.", "Regional cooperation is very important."),
    ("Pertemuan diadakan di Bali.", "The meeting was held in Bali."),
    ("Mereka bekerja di kantor.", "They work in the office."),
]

# TOML keeps an inline table on one line, so the long model lines are built here and put in below.
ONE_LAYER_MODEL = ("model = { d_model = 32, heads = 2, ffn = 64, encoder_layers = 1, decoder_layers = 1, "
                   "dropout = 0.1, max_positions = 256 }")
TWO_LAYER_MODEL = ("model = { d_model = 32, heads = 2, ffn = 64, encoder_layers = 2, decoder_layers = 1, "
                   "dropout = 0.1, max_positions = 256 }")

TINY_CONFIGS = f"""
[common]
max_tokens = 400
max_length = 64
peak_lr = 0.003
warmup_steps = 5
min_lr_share = 0.1
label_smoothing = 0.1
eval_every_seconds = 3
average_last = 2
average_window = 0.5
threads = 1
seed = 1

[configs.one-layer]
vocab = "sentencepiece.model"
{ONE_LAYER_MODEL}

[configs.two-layers]
vocab = "sentencepiece.model"
{TWO_LAYER_MODEL}
"""


def write_split(work: Path, name: str, pairs: list[tuple[str, str]], corpus: str) -> None:
    (work / f"{name}.id").write_text("".join(s + "\n" for s, _ in pairs), encoding="utf-8")
    (work / f"{name}.en").write_text("".join(t + "\n" for _, t in pairs), encoding="utf-8")
    (work / f"{name}.corpus").write_text(f"{corpus}\n" * len(pairs), encoding="utf-8")


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """A work folder as prepare_data.py and train_spm.py leave it, with a tiny corpus."""
    work = tmp_path_factory.mktemp("training-work")
    write_split(work, "train", PAIRS * 25, "news")
    write_split(work, "dev", PAIRS[:4], "news")
    spm.SentencePieceTrainer.train(
        input=[str(work / "train.id"), str(work / "train.en")], model_prefix=str(work / "sentencepiece"),
        vocab_size=120, hard_vocab_limit=False, model_type="unigram", character_coverage=1.0,
        pad_id=0, unk_id=1, bos_id=2, eos_id=3, pad_piece="<blank>", unk_piece="<unk>",
        bos_piece="<s>", eos_piece="</s>", minloglevel=2)
    (work / "configs.toml").write_text(TINY_CONFIGS, encoding="utf-8")
    return work


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    completed = subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-3000:]
    return completed


@pytest.fixture(scope="module")
def gpu_recipe_run(work: Path) -> Path:
    out = work / "out"
    run(str(TRAINING / "gpu_recipe.py"), "--work-dir", str(work), "--configs", str(work / "configs.toml"),
        "--minutes", "0.25", "--device", "cpu", "--out", str(out), "--where", "test CPU")
    return out


def test_the_gpu_recipe_compares_configurations_and_keeps_the_best_by_dev_chrf(gpu_recipe_run: Path):
    report = json.loads((gpu_recipe_run / "results.json").read_text())
    assert set(report["configs"]) == {"one-layer", "two-layers"}
    best = max(report["configs"].values(), key=lambda r: r["dev_chrF"])
    assert report["chosen"] == best["config"]
    for result in report["configs"].values():
        assert result["steps"] > 0 and result["curve"], result
        assert result["dev_chrF"] == result["final_dev_chrF"][result["kept"]]
    assert "conversion_error" not in report and "evaluation_error" not in report, report
    assert report["conversion"]["float32_logprob_gap"] < 1e-3
    dev = report["evaluation"]["recipe dev split"]
    assert dev["sentences"] == 4 and 0 <= dev["model"]["chrF"] <= 100


def test_the_checkpoint_comes_back_in_parts_and_is_self_contained(gpu_recipe_run: Path, work: Path):
    report = json.loads((gpu_recipe_run / "results.json").read_text())
    parts = report["checkpoint_parts"]
    assert parts and all((gpu_recipe_run / name).stat().st_size <= 15_000_000 for name in parts)
    joined = b"".join((gpu_recipe_run / name).read_bytes() for name in parts)
    assert joined == (work / "translate-id_en.pt").read_bytes()
    state = torch.load(work / "translate-id_en.pt", weights_only=False)
    assert state["format"] == "translate-id_en weights-only checkpoint 1"
    assert state["sentencepiece_model"] == (work / "sentencepiece.model").read_bytes()
    assert {value.dtype for value in state["model"].values()} == {torch.float16}
    assert state["trained"]["config"] == report["chosen"] and state["trained"]["where"] == "test CPU"


def test_train_continues_the_checkpoint_and_convert_writes_the_next_one(gpu_recipe_run: Path, work: Path, tmp_path):
    continued = tmp_path / "continued"
    continued.mkdir()
    for name in ("train.id", "train.en", "train.corpus", "dev.id", "dev.en", "dev.corpus"):
        (continued / name).write_bytes((work / name).read_bytes())
    config = (TRAINING / "config.toml").read_text(encoding="utf-8")
    config = (config.replace("max_minutes = 600", "max_minutes = 0.1")
              .replace("eval_minutes = 30", "eval_minutes = 0.05"))
    config = (config.replace("max_tokens = 4000", "max_tokens = 400")
              .replace('domain = ["globalvoices_opus"', 'domain = ["news"'))
    (continued / "config.toml").write_text(config, encoding="utf-8")
    start = work / "translate-id_en.pt"
    run(str(TRAINING / "train.py"), "--config", str(continued / "config.toml"), "--work-dir", str(continued),
        "--init-from", str(start))
    assert (continued / "sentencepiece.model").read_bytes() == (work / "sentencepiece.model").read_bytes()
    assert sorted((continued / "checkpoints").glob("step_*.pt"))
    curve = [json.loads(line) for line in (continued / "curve.jsonl").read_text().splitlines()]
    assert curve[0]["training_minutes"] < 0.05 and {"dev_chrF", "dev_domain_chrF"} <= set(curve[0])

    following = tmp_path / "next.pt"
    run(str(TRAINING / "convert.py"), "--work-dir", str(continued), "--write-checkpoint", str(following))
    state = torch.load(following, weights_only=False)
    first = torch.load(start, weights_only=False)["trained"]
    assert [step["where"] for step in state["trained"]["history"]] == ["test CPU", "CPU"]
    assert state["trained"]["steps"] > first["steps"]
    assert (continued / "ct2-int8" / "model.bin").is_file()
