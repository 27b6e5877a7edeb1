"""Average the last checkpoints and convert them to an int8 CTranslate2 model.

Uses ctranslate2's own converter machinery (a `Converter` whose `_load`
returns a `TransformerSpec` filled from the torch weights), so validation,
int8 quantisation and the on-disk format are CTranslate2's, not ours.
A check first converts without quantisation and scores a few dev pairs with
both torch and CTranslate2: every token's log-probability must agree, or a
tensor is in the wrong place. The int8 model is written after that.
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

import ctranslate2
import numpy as np
import sentencepiece as spm
import torch
from ctranslate2.converters.converter import Converter
from ctranslate2.specs import common_spec, transformer_spec

sys.path.insert(0, str(Path(__file__).resolve().parent))
from model import LAYER_NORM_EPS, Translator, sinusoidal_table  # noqa: E402
from train import encode_pairs, save_weights_only  # noqa: E402

MAX_TOKEN_LOGPROB_GAP = 1e-3  # float32 vs float32: only summation order differs


def average_checkpoints(paths: list[Path]) -> tuple[dict, dict]:
    """Mean of the model weights of several checkpoints (smoother than the last one)."""
    states = [torch.load(path, map_location="cpu", weights_only=False) for path in paths]
    averaged = {name: sum(state["model"][name].double() for state in states) / len(states)
                for name in states[-1]["model"]}
    return {name: value.float() for name, value in averaged.items()}, states[-1]


def as_numpy(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().float().numpy().copy()


def set_linear(spec: common_spec.LinearSpec, weights: dict, prefix: str) -> None:
    spec.weight = as_numpy(weights[f"{prefix}.weight"])
    spec.bias = as_numpy(weights[f"{prefix}.bias"])


def set_layer_norm(spec: common_spec.LayerNormSpec, weights: dict, prefix: str) -> None:
    spec.gamma = as_numpy(weights[f"{prefix}.weight"])
    spec.beta = as_numpy(weights[f"{prefix}.bias"])


def set_self_attention(spec, weights: dict, prefix: str, norm: str) -> None:
    # torch keeps q, k and v stacked in one in_proj matrix: CTranslate2's fused layout.
    spec.linear[0].weight = as_numpy(weights[f"{prefix}.in_proj_weight"])
    spec.linear[0].bias = as_numpy(weights[f"{prefix}.in_proj_bias"])
    set_linear(spec.linear[1], weights, f"{prefix}.out_proj")
    set_layer_norm(spec.layer_norm, weights, norm)


def set_cross_attention(spec, weights: dict, prefix: str, norm: str) -> None:
    in_weight, in_bias = weights[f"{prefix}.in_proj_weight"], weights[f"{prefix}.in_proj_bias"]
    d_model = in_weight.shape[1]
    spec.linear[0].weight, spec.linear[0].bias = as_numpy(in_weight[:d_model]), as_numpy(in_bias[:d_model])
    spec.linear[1].weight, spec.linear[1].bias = as_numpy(in_weight[d_model:]), as_numpy(in_bias[d_model:])
    set_linear(spec.linear[2], weights, f"{prefix}.out_proj")
    set_layer_norm(spec.layer_norm, weights, norm)


def set_ffn(spec, weights: dict, prefix: str, norm: str) -> None:
    set_linear(spec.linear_0, weights, f"{prefix}.linear1")
    set_linear(spec.linear_1, weights, f"{prefix}.linear2")
    set_layer_norm(spec.layer_norm, weights, norm)


class TorchTranslatorConverter(Converter):
    """Fills a CTranslate2 TransformerSpec from the recipe's torch weights."""

    def __init__(self, weights: dict, model_config: dict, vocabulary: list[str]):
        self.weights = weights
        self.model_config = model_config
        self.vocabulary = vocabulary

    def _load(self):
        cfg, weights = self.model_config, self.weights
        spec = transformer_spec.TransformerSpec.from_config(
            (cfg["encoder_layers"], cfg["decoder_layers"]), cfg["heads"], pre_norm=True)
        spec.config.layer_norm_epsilon = LAYER_NORM_EPS
        embeddings = as_numpy(weights["embed.weight"])
        positions = as_numpy(sinusoidal_table(cfg["max_positions"], cfg["d_model"]))
        for side in (spec.encoder, spec.decoder):
            side.position_encodings.encodings = positions
        spec.encoder.embeddings[0].weight = embeddings
        spec.decoder.embeddings.weight = embeddings
        spec.decoder.projection.weight = embeddings
        spec.decoder.projection.bias = as_numpy(weights["output_bias"])
        set_layer_norm(spec.encoder.layer_norm, weights, "encoder.norm")
        set_layer_norm(spec.decoder.layer_norm, weights, "decoder.norm")
        for index, layer in enumerate(spec.encoder.layer):
            prefix = f"encoder.layers.{index}"
            set_self_attention(layer.self_attention, weights, f"{prefix}.self_attn", f"{prefix}.norm1")
            set_ffn(layer.ffn, weights, prefix, f"{prefix}.norm2")
        for index, layer in enumerate(spec.decoder.layer):
            prefix = f"decoder.layers.{index}"
            set_self_attention(layer.self_attention, weights, f"{prefix}.self_attn", f"{prefix}.norm1")
            set_cross_attention(layer.attention, weights, f"{prefix}.multihead_attn", f"{prefix}.norm2")
            set_ffn(layer.ffn, weights, prefix, f"{prefix}.norm3")
        spec.register_source_vocabulary(self.vocabulary)
        spec.register_target_vocabulary(self.vocabulary)
        return spec


def largest_logprob_gap(model_dir: Path, torch_model, sp, pairs) -> float:
    """Largest difference of one target token's log-probability, torch vs CTranslate2."""
    translator = ctranslate2.Translator(str(model_dir), intra_threads=2)
    sources = [[sp.id_to_piece(i) for i in src] for src, _, _ in pairs]
    targets = [[sp.id_to_piece(i) for i in tgt[1:-1]] for _, tgt, _ in pairs]
    ct2_results = translator.score_batch(sources, targets)
    torch_model.eval()
    gap = 0.0
    with torch.no_grad():
        for (src, tgt, _), ct2_result in zip(pairs, ct2_results, strict=True):
            logits = torch_model(torch.tensor([src]), torch.tensor([tgt[:-1]]))
            logprobs = torch.log_softmax(logits[0], dim=-1).gather(1, torch.tensor(tgt[1:])[:, None])[:, 0]
            gap = max(gap, (logprobs - torch.tensor(ct2_result.log_probs)).abs().max().item())
    return gap


def continued_history(last_state: dict, averaged: list[str]) -> dict:
    """The checkpoint's `trained` record: what it started from (if anything) plus this CPU run."""
    before = last_state.get("init_trained") or {"steps": 0, "minutes": 0}
    history = before.get("history") or ([before] if "where" in before else [])
    run = {"where": "CPU", "steps": last_state["step"], "minutes": round(last_state["elapsed"] / 60, 1),
           "averaged": averaged}
    return {**before, "steps": before["steps"] + run["steps"],
            "minutes": round(before["minutes"] + run["minutes"], 1),
            "where": " then ".join(dict.fromkeys([*(h["where"] for h in history), "CPU"])),
            "history": [*history, run]}


def convert_weights(weights: dict, model_config: dict, sp, dev_pairs, output: Path) -> float:
    """Check the float32 conversion against torch, then write the int8 model; returns the gap."""
    vocabulary = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    converter = TorchTranslatorConverter(weights, model_config, vocabulary)
    torch_model = Translator(vocab_size=len(vocabulary), **model_config)
    torch_model.load_state_dict(weights)
    with tempfile.TemporaryDirectory() as float_dir:
        converter.convert(float_dir, force=True)
        gap = largest_logprob_gap(Path(float_dir), torch_model, sp, dev_pairs)
    print(f"largest torch/CTranslate2 gap in a token log-prob (float32): {gap:.2e}")
    if gap > MAX_TOKEN_LOGPROB_GAP:
        raise SystemExit(f"conversion check failed: gap {gap:.3g} > {MAX_TOKEN_LOGPROB_GAP}")
    converter.convert(str(output), quantization="int8", force=True)
    print(f"wrote {output}")
    return gap


def convert_checkpoint(checkpoint: Path, package_dir: Path, work_dir: Path) -> dict:
    """A weights-only checkpoint (gpu_recipe.py's) -> `package_dir/model` + `package_dir/sentencepiece.model`."""
    state = torch.load(checkpoint, map_location="cpu", weights_only=False)
    package_dir.mkdir(parents=True, exist_ok=True)
    sp_path = package_dir / "sentencepiece.model"
    sp_path.write_bytes(state["sentencepiece_model"])
    sp = spm.SentencePieceProcessor(model_file=str(sp_path))
    weights = {name: value.float() for name, value in state["model"].items()}
    dev_pairs = encode_pairs(work_dir, "dev", sp, 200)[:20]
    gap = convert_weights(weights, state["model_config"], sp, dev_pairs, package_dir / "model")
    trained = state["trained"]
    return {"checkpoint": checkpoint.name, "step": trained["steps"], "training_minutes": trained["minutes"],
            "trained": trained, "float32_logprob_gap": gap}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-dir", type=Path, default=Path("training/work"))
    parser.add_argument("--output", type=Path, default=None, help="default: <work>/ct2-int8")
    parser.add_argument("--average", type=int, default=None, help="default: average_last from the config")
    parser.add_argument("--write-checkpoint", type=Path, default=None,
                        help="also save the averaged weights as a weights-only checkpoint (the repository's)")
    parser.add_argument("--checkpoint", type=Path, default=None,
                        help="convert this weights-only checkpoint (gpu_recipe.py's) instead of <work>/checkpoints")
    args = parser.parse_args()
    torch.set_num_threads(2)
    if args.checkpoint:
        info = convert_checkpoint(args.checkpoint, args.work_dir / "package", args.work_dir)
        (args.work_dir / "convert_info.json").write_text(json.dumps(info, indent=2) + "\n")
        return
    checkpoints = sorted((args.work_dir / "checkpoints").glob("step_*.pt"))
    if not checkpoints:
        raise SystemExit(f"{args.work_dir / 'checkpoints'}: no checkpoints; run training/train.py first")
    last_state = torch.load(checkpoints[-1], map_location="cpu", weights_only=False)
    config = last_state["config"]
    count = args.average or config["train"]["average_last"]
    weights, _ = average_checkpoints(checkpoints[-count:])
    print(f"averaged {min(count, len(checkpoints))} checkpoints: {[p.name for p in checkpoints[-count:]]}")

    sp = spm.SentencePieceProcessor(model_file=str(args.work_dir / "sentencepiece.model"))
    output = args.output or args.work_dir / "ct2-int8"
    gap = convert_weights(weights, config["model"], sp, encode_pairs(args.work_dir, "dev", sp, 200)[:20], output)
    if args.write_checkpoint:
        trained = continued_history(last_state, [p.name for p in checkpoints[-count:]])
        save_weights_only(args.write_checkpoint, weights, config["model"], args.work_dir / "sentencepiece.model",
                          trained)
        print(f"wrote {args.write_checkpoint} ({trained['steps']} steps, {trained['minutes']} minutes in all)")
    info = {"checkpoints_averaged": [p.name for p in checkpoints[-count:]], "step": last_state["step"],
            "training_minutes": round(last_state["elapsed"] / 60, 1), "dev_loss": last_state["dev_loss"],
            "float32_logprob_gap": gap}
    (args.work_dir / "convert_info.json").write_text(json.dumps(info, indent=2) + "\n")


if __name__ == "__main__":
    main()
