"""Train the id->en Transformer on the CPU, resumably.

Checkpoints go to `<work>/checkpoints/` every few minutes; a new run resumes
from the newest one and stops once the total training time (summed over runs)
reaches `max_minutes`, so the recipe can be stopped and restarted freely.

With `--init-from CHECKPOINT` (the weights-only checkpoint kept in the
repository, e.g. the GPU recipe's) a run with no checkpoints of its own starts
from those weights, their shape and their SentencePiece model, with the
`[finetune]` settings; dev chrF (CTranslate2 int8, beam 4) is measured every
`eval_minutes` and appended to `<work>/curve.jsonl`, the learning curve.
"""

import argparse
import hashlib
import json
import math
import random
import re
import sys
import time
import tomllib
from pathlib import Path

import sentencepiece as spm
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from devscore import dev_chrf_ctranslate2  # noqa: E402
from model import BOS_ID, EOS_ID, PAD_ID, Translator, pad  # noqa: E402

LOG_EVERY = 10


def load_config(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


# How pipeline/mt/masking.py finds numbers; it hides them (and URLs, dates,
# footnote markers) behind ZX0, ZX1... that the model must copy through.
_NUMBER = r"(?<![\w.,]){}(?![\w]|[.,]\d)"
_ANY_NUMBER = re.compile(_NUMBER.format(r"\d+(?:[.,]\d+)*%?"))


def with_placeholders(sources: list[str], targets: list[str], rng: random.Random,
                      numbers: float, appended: float) -> tuple[list[str], list[str]]:
    """Teach the model the pipeline's placeholders: in a share ``numbers`` of the
    pairs where the same number is on both sides it becomes ZX0, ZX1...; a share
    ``appended`` of the other pairs get one after their last word, as a masked
    footnote marker ("kejahatan.[1]" -> "kejahatan.ZX0") follows a sentence."""
    out_sources, out_targets = [], []
    for source, target in zip(sources, targets, strict=True):
        in_target = set(_ANY_NUMBER.findall(target))
        shared = [n for n in dict.fromkeys(_ANY_NUMBER.findall(source)) if n in in_target][:3]
        if shared and rng.random() < numbers:
            for index, number in enumerate(shared):
                pattern = re.compile(_NUMBER.format(re.escape(number)))
                source, target = (pattern.sub(f"ZX{index}", side) for side in (source, target))
        elif not shared and rng.random() < appended:
            mark = rng.choice(("", " ")) + f"ZX{rng.randrange(3)}"
            source, target = source + mark, target + mark
        out_sources.append(source)
        out_targets.append(target)
    return out_sources, out_targets


def encode_pairs(work_dir: Path, split: str, sp: spm.SentencePieceProcessor, max_length: int,
                 placeholders: dict | None = None):
    """(source ids, target ids with BOS/EOS, line number) for each pair that fits ``max_length``."""
    sources = (work_dir / f"{split}.id").read_text(encoding="utf-8").splitlines()
    targets = (work_dir / f"{split}.en").read_text(encoding="utf-8").splitlines()
    if placeholders:
        rng = random.Random(placeholders["seed"])
        sources, targets = with_placeholders(sources, targets, rng, placeholders["numbers"], placeholders["appended"])
    pairs = []
    for line, (src_ids, tgt_ids) in enumerate(zip(sp.encode(sources), sp.encode(targets), strict=True)):
        if 0 < len(src_ids) <= max_length and 0 < len(tgt_ids) < max_length:
            pairs.append((src_ids, [BOS_ID] + tgt_ids + [EOS_ID], line))
    return pairs


def corpus_names(work_dir: Path, split: str) -> list[str]:
    """Each line's corpus (prepare_data.py's `<split>.corpus`)."""
    path = work_dir / f"{split}.corpus"
    if not path.exists():
        raise SystemExit(f"{path}: missing; run training/prepare_data.py again (it writes the corpus of each line)")
    return path.read_text(encoding="utf-8").splitlines()


def domain_mix(pairs, corpora: list[str], domain: set[str], other_share: float, rng: random.Random) -> list:
    """All pairs of the ``domain`` corpora and a fresh random ``other_share`` of the rest (one epoch's data)."""
    return [pair for pair in pairs if corpora[pair[2]] in domain or rng.random() < other_share]


def make_batches(pairs, max_tokens: int, rng: random.Random) -> list[list[int]]:
    """Token-based batches of similar lengths (little padding), in random order."""
    order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][1]), len(pairs[i][0]), rng.random()))
    batches, current, longest = [], [], 0
    for index in order:
        length = max(len(pairs[index][0]), len(pairs[index][1]))
        if current and max(longest, length) * (len(current) + 1) > max_tokens:
            batches.append(current)
            current, longest = [], 0
        current.append(index)
        longest = max(longest, length)
    if current:
        batches.append(current)
    rng.shuffle(batches)
    return batches


def batch_tensors(pairs, indices):
    source = pad([pairs[i][0] for i in indices])
    target = pad([pairs[i][1] for i in indices])
    return source, target[:, :-1], target[:, 1:]


def learning_rate(step: int, peak: float, warmup: int) -> float:
    """Linear warm-up, then inverse square root decay."""
    step = max(step, 1)
    return peak * min(step / warmup, math.sqrt(warmup / step))


def dev_loss(model, pairs, max_tokens: int) -> float:
    criterion = nn.CrossEntropyLoss(ignore_index=PAD_ID, reduction="sum")
    model.eval()
    total, tokens = 0.0, 0
    with torch.no_grad():
        for indices in make_batches(pairs, max_tokens, random.Random(0)):
            source, target_in, target_out = batch_tensors(pairs, indices)
            logits = model(source, target_in)
            total += criterion(logits.reshape(-1, logits.size(-1)), target_out.reshape(-1)).item()
            tokens += int(target_out.ne(PAD_ID).sum())
    model.train()
    return total / tokens


def latest_checkpoint(checkpoint_dir: Path) -> Path | None:
    checkpoints = sorted(checkpoint_dir.glob("step_*.pt"))
    return checkpoints[-1] if checkpoints else None


def save_checkpoint(checkpoint_dir: Path, state: dict, keep: int) -> Path:
    path = checkpoint_dir / f"step_{state['step']:07d}.pt"
    partial = path.with_suffix(".tmp")
    torch.save(state, partial)
    partial.replace(path)  # atomic: a killed run never leaves a half-written checkpoint
    for old in sorted(checkpoint_dir.glob("step_*.pt"))[:-keep]:
        old.unlink()
    return path


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_model(config: dict, vocab_size: int) -> Translator:
    return Translator(vocab_size=vocab_size, **config["model"])


WEIGHTS_ONLY_FORMAT = "translate-id_en weights-only checkpoint 1"


def save_weights_only(path: Path, weights: dict, model_config: dict, sp_path: Path, trained: dict) -> None:
    """The checkpoint kept in the repository: float16 weights with their shape, vocabulary and history."""
    checkpoint = {"format": WEIGHTS_ONLY_FORMAT,
                  "model": {name: value.half() for name, value in weights.items()},
                  "model_config": model_config,
                  "sentencepiece_model": sp_path.read_bytes(),
                  "sentencepiece_sha256": file_digest(sp_path),
                  "trained": trained}
    partial = path.with_suffix(".partial")
    torch.save(checkpoint, partial)
    partial.replace(path)


def start_from_weights(args, config: dict, sp_path: Path) -> tuple[dict, dict]:
    """Take shape, vocabulary and weights from a weights-only checkpoint; returns its weights and history."""
    state = torch.load(args.init_from, map_location="cpu", weights_only=False)
    config["model"] = state["model_config"]
    if state.get("format") != WEIGHTS_ONLY_FORMAT:
        raise SystemExit(f"{args.init_from}: not a weights-only checkpoint ({WEIGHTS_ONLY_FORMAT})")
    if not sp_path.exists() or file_digest(sp_path) != state["sentencepiece_sha256"]:
        sp_path.write_bytes(state["sentencepiece_model"])  # the weights only fit their own vocabulary
        print(f"wrote {sp_path} from {args.init_from}", flush=True)
    print(f"starting from {args.init_from} ({state['trained']})", flush=True)
    return {name: value.float() for name, value in state["model"].items()}, state["trained"]


def dev_scores(model, config: dict, sp, dev: dict) -> dict:
    """Dev chrF (CTranslate2 int8, beam 4) on the whole split and on its domain part (when a domain is set)."""
    threads = config["train"]["threads"]
    scores = {"dev_chrF": dev_chrf_ctranslate2(model, config["model"], sp, dev["sources"], dev["references"],
                                               threads)}
    if dev["domain"]:
        chosen = [i for i, name in enumerate(dev["corpora"]) if name in dev["domain"]]
        scores["dev_domain_chrF"] = dev_chrf_ctranslate2(model, config["model"], sp,
                                                         [dev["sources"][i] for i in chosen],
                                                         [dev["references"][i] for i in chosen], threads)
    model.train()
    return scores


def append_curve(work_dir: Path, point: dict) -> None:
    with (work_dir / "curve.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(point) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=Path("training/config.toml"))
    parser.add_argument("--work-dir", type=Path, default=Path("training/work"))
    parser.add_argument("--init-from", type=Path, default=None,
                        help="a weights-only checkpoint to start from when <work>/checkpoints is empty")
    args = parser.parse_args()
    config = load_config(args.config)
    sp_path = args.work_dir / "sentencepiece.model"
    checkpoint_dir = args.work_dir / "checkpoints"
    checkpoint_dir.mkdir(parents=True, exist_ok=True)
    resume = latest_checkpoint(checkpoint_dir)
    saved = torch.load(resume, map_location="cpu", weights_only=False) if resume else None
    initial, init_trained = start_from_weights(args, config, sp_path) if args.init_from and not saved else (None, None)
    if saved:
        init_trained = saved.get("init_trained")
    if saved:  # the shape is the checkpoint's; the settings (max_minutes...) are the config's
        config["model"] = saved["config"]["model"]
    finetuning = bool(initial) or bool(saved and saved.get("finetuning"))
    if finetuning:
        config["train"] = {**config["train"], **config.get("finetune", {})}
    train_cfg = config["train"]
    torch.set_num_threads(train_cfg["threads"])
    torch.set_num_interop_threads(1)
    torch.manual_seed(train_cfg["seed"])

    sp = spm.SentencePieceProcessor(model_file=str(sp_path))
    placeholders = {"seed": train_cfg["seed"], **config["placeholders"]} if "placeholders" in config else None
    train_pairs = encode_pairs(args.work_dir, "train", sp, train_cfg["max_length"], placeholders)
    dev_pairs = encode_pairs(args.work_dir, "dev", sp, train_cfg["max_length"])
    domain = set(train_cfg.get("domain", ()))
    dev = {"sources": (args.work_dir / "dev.id").read_text(encoding="utf-8").splitlines(),
           "references": (args.work_dir / "dev.en").read_text(encoding="utf-8").splitlines(),
           "corpora": corpus_names(args.work_dir, "dev") if domain else [], "domain": domain}
    train_corpora = corpus_names(args.work_dir, "train") if domain else []
    model = build_model(config, sp.get_piece_size())
    if initial:
        model.load_state_dict(initial)
    optimizer = torch.optim.Adam(model.parameters(), lr=train_cfg["peak_lr"], betas=(0.9, 0.98), eps=1e-9)
    criterion = nn.CrossEntropyLoss(ignore_index=PAD_ID, label_smoothing=train_cfg["label_smoothing"])

    step, epoch, elapsed = 0, 0, 0.0
    if saved:
        state = saved
        if state.get("sentencepiece_sha256", file_digest(sp_path)) != file_digest(sp_path):
            raise SystemExit(f"{resume}: trained with another sentencepiece.model; "
                             f"move {checkpoint_dir} away to start over")
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        step, epoch, elapsed = state["step"], state["epoch"], state["elapsed"]
        print(f"resumed from {resume} (step {step}, {elapsed / 60:.1f} min trained)", flush=True)
    print(f"{len(train_pairs)} train pairs, {len(dev_pairs)} dev pairs, "
          f"{sum(p.numel() for p in model.parameters()) / 1e6:.1f}M parameters", flush=True)

    budget = train_cfg["max_minutes"] * 60
    eval_every = train_cfg.get("eval_minutes", 0) * 60
    next_eval = (math.floor(elapsed / eval_every) + 1) * eval_every if eval_every else math.inf
    if initial and eval_every:
        next_eval = 0.0  # the starting point of the curve: the weights as they came
    run_start = time.monotonic()
    base_elapsed = elapsed
    last_save = run_start
    window_loss, window_tokens, window_start = 0.0, 0, time.monotonic()
    model.train()
    while elapsed < budget:
        epoch += 1
        rng = random.Random(train_cfg["seed"] + epoch)
        epoch_pairs = (domain_mix(train_pairs, train_corpora, domain, train_cfg["other_share"], rng)
                       if domain else train_pairs)
        for indices in make_batches(epoch_pairs, train_cfg["max_tokens"], rng):
            source, target_in, target_out = batch_tensors(epoch_pairs, indices)
            step += 1
            for group in optimizer.param_groups:
                group["lr"] = learning_rate(step, train_cfg["peak_lr"], train_cfg["warmup_steps"])
            logits = model(source, target_in)
            loss = criterion(logits.reshape(-1, logits.size(-1)), target_out.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()

            tokens = int(target_out.ne(PAD_ID).sum())
            window_loss += loss.item() * tokens
            window_tokens += tokens
            now = time.monotonic()
            elapsed = base_elapsed + (now - run_start)
            if step % LOG_EVERY == 0:
                print(f"step {step} epoch {epoch} loss {window_loss / window_tokens:.3f} "
                      f"lr {optimizer.param_groups[0]['lr']:.2e} "
                      f"tgt_tok/s {window_tokens / (now - window_start):.0f} "
                      f"elapsed {elapsed / 60:.1f}m", flush=True)
                window_loss, window_tokens, window_start = 0.0, 0, now
            done = elapsed >= budget
            if elapsed >= next_eval:
                paused = time.monotonic()  # evaluation time is not training time
                scores = dev_scores(model, config, sp, dev)
                append_curve(args.work_dir, {"training_minutes": round(elapsed / 60, 1), "step": step,
                                             "epoch": epoch, **scores})
                print(f"{scores} at {elapsed / 60:.1f} min", flush=True)
                run_start += time.monotonic() - paused
                next_eval += eval_every
            if done or now - last_save >= train_cfg["checkpoint_minutes"] * 60:
                state = {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                         "step": step, "epoch": epoch, "elapsed": elapsed, "config": config,
                         "finetuning": finetuning, "init_trained": init_trained,
                         "sentencepiece_sha256": file_digest(sp_path),
                         "dev_loss": dev_loss(model, dev_pairs, train_cfg["max_tokens"])}
                path = save_checkpoint(checkpoint_dir, state, train_cfg["keep_checkpoints"])
                print(f"saved {path} dev_loss {state['dev_loss']:.3f}", flush=True)
                last_save = time.monotonic()
            if done:
                break
    print(f"training done: step {step}, {elapsed / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
