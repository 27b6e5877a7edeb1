"""The id->en recipe on one GPU: compare configurations, keep the best, convert, evaluate.

One command, sized for a 10-minute GPU lease:

    python training/gpu_recipe.py --work-dir training/work --minutes 6 --out OUT

1. Each configuration of `gpu_configs.toml` trains in its own process on the
   same GPU for the same wall time (bf16 autocast, large batches, cosine decay
   over the time budget), scoring greedy dev chrF every `eval_every_seconds`:
   the learning curves.
2. Each worker keeps the better of its last weights and the average of its
   last snapshots (by dev chrF); the best configuration by dev chrF is kept.
   FLORES-200 devtest plays no part in any choice.
3. Its weights are written as a float16 weights-only checkpoint that carries
   its configuration and SentencePiece model (`train.py --init-from` and
   `convert.py --checkpoint` read it), split into parts of at most 15 MB.
4. It is converted to CTranslate2 int8 (with convert.py's torch/CT2 check)
   and scored with evaluate.py's settings (int8, beam 4) on the dev split and,
   if given, the benchmark.

Every step after training is guarded: a failure there is logged in
`results.json` and never loses the checkpoint, which is written first.
"""

import argparse
import collections
import json
import math
import os
import random
import subprocess
import sys
import time
import traceback
from pathlib import Path

import sentencepiece as spm
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from devscore import dev_chrf  # noqa: E402
from model import PAD_ID, Translator, pad  # noqa: E402
from train import encode_pairs, load_config, make_batches, save_weights_only  # noqa: E402

PART_BYTES = 15_000_000  # the device tool brings back files of at most 16 MB
CHECKPOINT_NAME = "translate-id_en.pt"


# ---------------------------------------------------------------- worker side

def learning_rate(step: int, progress: float, settings: dict) -> float:
    """Linear warm-up by steps, then cosine decay by the share of the time budget used."""
    warm = min(1.0, (step + 1) / settings["warmup_steps"])
    floor = settings["min_lr_share"]
    return settings["peak_lr"] * warm * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0))))


def batch_tensors_on(pairs, batches, device) -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """Every batch padded once and kept on the device: the training loop only indexes."""
    out = []
    for indices in batches:
        source = pad([pairs[i][0] for i in indices]).to(device)
        target = pad([pairs[i][1] for i in indices]).to(device)
        out.append((source, target[:, :-1], target[:, 1:]))
    return out


def averaged(snapshots) -> dict:
    return {name: sum(s[name].double() for s in snapshots).div(len(snapshots)).float() for name in snapshots[0]}


def run_worker(args) -> None:
    """Train one configuration until the deadline; write its best weights and learning curve."""
    spec = load_config(args.configs)
    common, config = spec["common"], spec["configs"][args.worker]
    out_dir = args.work_dir / "gpu-runs" / args.worker
    out_dir.mkdir(parents=True, exist_ok=True)
    device = torch.device(args.device)
    torch.manual_seed(common["seed"])
    torch.set_num_threads(common["threads"])
    torch.backends.cuda.matmul.allow_tf32 = True

    sp_path = args.work_dir / config["vocab"]
    sp = spm.SentencePieceProcessor(model_file=str(sp_path))
    placeholders = {"seed": common["seed"], **load_config(args.recipe_config)["placeholders"]}
    pairs = encode_pairs(args.work_dir, "train", sp, common["max_length"], placeholders)[: args.limit_pairs]
    dev_sources = (args.work_dir / "dev.id").read_text(encoding="utf-8").splitlines()[: args.limit_dev]
    dev_references = (args.work_dir / "dev.en").read_text(encoding="utf-8").splitlines()[: args.limit_dev]
    rng = random.Random(common["seed"])
    batches = batch_tensors_on(pairs, make_batches(pairs, common["max_tokens"], rng), device)

    model = Translator(vocab_size=sp.get_piece_size(), **config["model"]).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=common["peak_lr"], betas=(0.9, 0.98), eps=1e-9,
                                 fused=device.type == "cuda")
    criterion = nn.CrossEntropyLoss(ignore_index=PAD_ID, label_smoothing=common["label_smoothing"])
    parameters = sum(p.numel() for p in model.parameters())
    log = (out_dir / "train.log").open("w", encoding="utf-8")

    def say(message: str) -> None:
        print(f"[{args.worker}] {message}", file=log, flush=True)

    say(f"{len(pairs)} pairs, {len(batches)} batches, {parameters / 1e6:.1f}M parameters, vocab {config['vocab']}")
    start = time.time()
    budget = max(args.deadline - start, 1.0)
    step, epoch, tokens_seen = 0, 0, 0
    curve, snapshots = [], collections.deque(maxlen=common["average_last"])
    next_eval = start + common["eval_every_seconds"]
    loss_sum = torch.zeros((), device=device)
    model.train()
    while step == 0 or time.time() < args.deadline:  # at least one step, even on a slow start
        epoch += 1
        for index in torch.randperm(len(batches), generator=torch.Generator().manual_seed(epoch)).tolist():
            now = time.time()
            if now >= args.deadline and step:
                break
            source, target_in, target_out = batches[index]
            for group in optimizer.param_groups:
                group["lr"] = learning_rate(step, (now - start) / budget, common)
            with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
                logits = model(source, target_in)
            loss = criterion(logits.float().reshape(-1, logits.size(-1)), target_out.reshape(-1))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            loss_sum += loss.detach()
            step += 1
            tokens_seen += target_out.numel()
            if step % 100 == 0:
                say(f"step {step} epoch {epoch} loss {loss_sum.item() / 100:.3f} "
                    f"lr {optimizer.param_groups[0]['lr']:.2e} {(time.time() - start) / 60:.2f} min")
                loss_sum.zero_()
            if time.time() >= next_eval:
                if (time.time() - start) / budget >= 1 - common["average_window"]:
                    snapshots.append({k: v.detach().float().cpu().clone() for k, v in model.state_dict().items()})
                score = dev_chrf(model, sp, dev_sources, dev_references, device)
                curve.append({"minutes": round((time.time() - start) / 60, 2), "step": step,
                              "epoch": epoch, "dev_chrF": score})
                say(f"eval {curve[-1]}")
                next_eval = time.time() + common["eval_every_seconds"]
    minutes = (time.time() - start) / 60
    last = {k: v.detach().float().cpu().clone() for k, v in model.state_dict().items()}
    candidates = {"last": last}
    if snapshots:
        candidates[f"average of last {len(snapshots) + 1}"] = averaged([*snapshots, last])
    scores = {}
    for name, weights in candidates.items():
        model.load_state_dict(weights)
        scores[name] = dev_chrf(model, sp, dev_sources, dev_references, device)
    chosen = max(scores, key=scores.get)
    curve.append({"minutes": round(minutes, 2), "step": step, "epoch": epoch, "dev_chrF": scores["last"]})
    say(f"final dev chrF {scores}; keeping {chosen}")
    torch.save({"model": candidates[chosen], "model_config": config["model"], "vocab": config["vocab"]},
               out_dir / "weights.pt")
    result = {"config": args.worker, "vocab": config["vocab"], "model": config["model"],
              "parameters": parameters, "steps": step, "epochs": epoch, "minutes": round(minutes, 2),
              "target_tokens_per_second": round(tokens_seen / (minutes * 60)),
              "curve": curve, "final_dev_chrF": scores, "kept": chosen, "dev_chrF": scores[chosen]}
    (out_dir / "result.json").write_text(json.dumps(result, indent=2) + "\n")
    say("done")


# ----------------------------------------------------------- orchestrator side

def launch_workers(args, names: list[str], deadline: float) -> dict[str, subprocess.Popen]:
    processes = {}
    for name in names:
        command = [sys.executable, __file__, "--worker", name, "--deadline", str(deadline),
                   "--work-dir", str(args.work_dir), "--configs", str(args.configs),
                   "--recipe-config", str(args.recipe_config), "--device", args.device]
        for option in ("limit_pairs", "limit_dev"):
            if getattr(args, option):
                command += [f"--{option.replace('_', '-')}", str(getattr(args, option))]
        processes[name] = subprocess.Popen(command)
    return processes


def wait_for(processes: dict[str, subprocess.Popen], until: float) -> None:
    for name, process in processes.items():
        try:
            process.wait(timeout=max(until - time.time(), 1))
        except subprocess.TimeoutExpired:
            print(f"{name}: still running at the cut-off; killed", flush=True)
            process.kill()


def collect_results(work_dir: Path, names: list[str]) -> dict[str, dict]:
    results = {}
    for name in names:
        path = work_dir / "gpu-runs" / name / "result.json"
        if path.exists():
            results[name] = json.loads(path.read_text())
        else:
            print(f"{name}: no result (see {path.parent / 'train.log'})", flush=True)
    return results


def write_checkpoint(args, best: dict) -> Path:
    """The float16 weights-only checkpoint: self-contained, so a later sitting can resume from it alone."""
    weights = torch.load(args.work_dir / "gpu-runs" / best["config"] / "weights.pt", weights_only=False)
    trained = {"config": best["config"], "steps": best["steps"], "minutes": best["minutes"],
               "dev_chrF": best["dev_chrF"], "where": args.where}
    path = args.work_dir / CHECKPOINT_NAME
    save_weights_only(path, weights["model"], weights["model_config"], args.work_dir / weights["vocab"],
                      {**trained, "history": [trained]})
    return path


def split_into(path: Path, out: Path) -> list[str]:
    """Copy `path` into `out` as numbered parts of at most PART_BYTES (`cat name.part* > name`)."""
    data, names = path.read_bytes(), []
    for number, first in enumerate(range(0, len(data), PART_BYTES)):
        name = f"{path.name}.part{number}"
        (out / name).write_bytes(data[first:first + PART_BYTES])
        names.append(name)
    return names


def convert_and_evaluate(args, checkpoint: Path, report: dict) -> None:
    """Convert like convert.py and score like evaluate.py; each step is reported, never fatal."""
    try:
        import convert
        info = convert.convert_checkpoint(checkpoint, args.work_dir / "gpu-package", args.work_dir)
        report["conversion"] = info
        print(f"converted: {info}", flush=True)
    except Exception:  # noqa: BLE001 - logged, and the checkpoint is already saved
        report["conversion_error"] = traceback.format_exc()
        print(report["conversion_error"], flush=True)
        return
    try:
        import evaluate
        package = args.work_dir / "gpu-package"
        sets = {"recipe dev split": args.work_dir / "dev"}
        if args.benchmark:
            sets["FLORES-200 devtest"] = args.benchmark
        report["evaluation"] = {
            name: {k: v for k, v in evaluate.evaluate_set(package, prefix.with_suffix(".id"),
                                                          prefix.with_suffix(".en"), os.cpu_count() or 2).items()
                   if k != "samples"}
            for name, prefix in sets.items()}
        print(f"evaluation (int8, beam 4, speed on this machine's {os.cpu_count()} CPUs): "
              f"{json.dumps(report['evaluation'])}", flush=True)
    except Exception:  # noqa: BLE001
        report["evaluation_error"] = traceback.format_exc()
        print(report["evaluation_error"], flush=True)


def run_orchestrator(args) -> None:
    names = list(load_config(args.configs)["configs"])
    if args.only:
        names = [n for n in names if n in args.only]
    deadline = time.time() + args.minutes * 60
    print(f"training {names} side by side until {time.strftime('%H:%M:%S', time.localtime(deadline))}", flush=True)
    wait_for(launch_workers(args, names, deadline), deadline + args.grace_seconds)
    results = collect_results(args.work_dir, names)
    report = {"where": args.where, "minutes": args.minutes, "configs": results}
    args.out.mkdir(parents=True, exist_ok=True)
    if results:
        best = max(results.values(), key=lambda r: r["dev_chrF"])
        report["chosen"] = best["config"]
        print(f"dev chrF by configuration: { {n: r['dev_chrF'] for n, r in results.items()} }; "
              f"keeping {best['config']}", flush=True)
        checkpoint = write_checkpoint(args, best)
        report["checkpoint_parts"] = split_into(checkpoint, args.out)
        (args.out / "results.json").write_text(json.dumps(report, indent=2) + "\n")
        convert_and_evaluate(args, checkpoint, report)
    (args.out / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    logs = [(args.work_dir / "gpu-runs" / n / "train.log") for n in names]
    (args.out / "train-logs.txt").write_text("".join(p.read_text() for p in logs if p.exists()))
    if not results:
        raise SystemExit("no configuration finished; see train-logs.txt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = Path(__file__).resolve().parent
    parser.add_argument("--work-dir", type=Path, default=Path("training/work"),
                        help="train/dev files and vocabularies, as prepare_data.py and train_spm.py leave them")
    parser.add_argument("--configs", type=Path, default=here / "gpu_configs.toml")
    parser.add_argument("--recipe-config", type=Path, default=here / "config.toml", help="for [placeholders]")
    parser.add_argument("--minutes", type=float, default=6.0, help="wall time of the training phase")
    parser.add_argument("--grace-seconds", type=float, default=90, help="for the workers' final evaluation")
    parser.add_argument("--out", type=Path, default=Path("training/work/gpu-out"))
    parser.add_argument("--benchmark", type=Path, default=None, help="path prefix of the .id/.en test set")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--only", nargs="*", help="train only these configurations")
    parser.add_argument("--limit-pairs", type=int, default=None, help="train on the first N pairs (smoke tests)")
    parser.add_argument("--limit-dev", type=int, default=None, help="score the first N dev pairs (smoke tests)")
    parser.add_argument("--where", default=torch.cuda.get_device_name() if torch.cuda.is_available() else "CPU")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--deadline", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        run_worker(args)
    else:
        run_orchestrator(args)


if __name__ == "__main__":
    main()
