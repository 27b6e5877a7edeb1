"""Train the id->en Transformer on the CPU, resumably.

Checkpoints go to `<work>/checkpoints/` every few minutes; a new run resumes
from the newest one and stops once the total training time (summed over runs)
reaches `max_minutes`, so the recipe can be stopped and restarted freely.
"""

import argparse
import hashlib
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
from model import PAD_ID, Translator  # noqa: E402

BOS_ID, EOS_ID = 2, 3
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
    for source, target in zip(sources, targets):
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
    sources = (work_dir / f"{split}.id").read_text(encoding="utf-8").splitlines()
    targets = (work_dir / f"{split}.en").read_text(encoding="utf-8").splitlines()
    if placeholders:
        rng = random.Random(placeholders["seed"])
        sources, targets = with_placeholders(sources, targets, rng, placeholders["numbers"], placeholders["appended"])
    pairs = []
    for src_ids, tgt_ids in zip(sp.encode(sources), sp.encode(targets)):
        if 0 < len(src_ids) <= max_length and 0 < len(tgt_ids) < max_length:
            pairs.append((src_ids, [BOS_ID] + tgt_ids + [EOS_ID]))
    return pairs


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


def pad(sequences: list[list[int]]) -> torch.Tensor:
    width = max(len(s) for s in sequences)
    return torch.tensor([s + [PAD_ID] * (width - len(s)) for s in sequences], dtype=torch.long)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=Path("training/config.toml"))
    parser.add_argument("--work-dir", type=Path, default=Path("training/work"))
    args = parser.parse_args()
    config = load_config(args.config)
    train_cfg = config["train"]
    torch.set_num_threads(train_cfg["threads"])
    torch.set_num_interop_threads(1)
    torch.manual_seed(train_cfg["seed"])

    sp_path = args.work_dir / "sentencepiece.model"
    sp = spm.SentencePieceProcessor(model_file=str(sp_path))
    placeholders = {"seed": train_cfg["seed"], **config["placeholders"]} if "placeholders" in config else None
    train_pairs = encode_pairs(args.work_dir, "train", sp, train_cfg["max_length"], placeholders)
    dev_pairs = encode_pairs(args.work_dir, "dev", sp, train_cfg["max_length"])
    model = build_model(config, sp.get_piece_size())
    optimizer = torch.optim.Adam(model.parameters(), lr=train_cfg["peak_lr"], betas=(0.9, 0.98), eps=1e-9)
    criterion = nn.CrossEntropyLoss(ignore_index=PAD_ID, label_smoothing=train_cfg["label_smoothing"])

    checkpoint_dir = args.work_dir / "checkpoints"
    checkpoint_dir.mkdir(parents=True, exist_ok=True)
    step, epoch, elapsed = 0, 0, 0.0
    resume = latest_checkpoint(checkpoint_dir)
    if resume:
        state = torch.load(resume, weights_only=False)
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
    run_start = time.monotonic()
    base_elapsed = elapsed
    last_save = run_start
    window_loss, window_tokens, window_start = 0.0, 0, time.monotonic()
    model.train()
    while elapsed < budget:
        epoch += 1
        for indices in make_batches(train_pairs, train_cfg["max_tokens"], random.Random(train_cfg["seed"] + epoch)):
            source, target_in, target_out = batch_tensors(train_pairs, indices)
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
            if done or now - last_save >= train_cfg["checkpoint_minutes"] * 60:
                state = {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                         "step": step, "epoch": epoch, "elapsed": elapsed, "config": config,
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
