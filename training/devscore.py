"""Dev-split chrF during training: the learning curve's measure.

On a GPU, greedy decoding in torch (no cache; the decoder is shallow) ranks
checkpoints in seconds. On a CPU that is quadratic and slow, so there the
weights are converted to CTranslate2 int8 and decoded as Argos does (beam 4,
length penalty 0.2): a minute for the 500 dev pairs, and the same settings
the shipped figures use (evaluate.py).
"""

import tempfile

import sacrebleu
import torch
from model import BOS_ID, EOS_ID, PAD_ID, Translator, pad

DEV_BATCH = 100


@torch.no_grad()
def greedy_translate(model: Translator, sources: list[list[int]], device, max_extra: int = 16) -> list[list[int]]:
    """Greedy decoding without a cache (the decoder is shallow): enough to rank checkpoints."""
    model.eval()
    order = sorted(range(len(sources)), key=lambda i: len(sources[i]))
    output: list[list[int]] = [[] for _ in sources]
    for first in range(0, len(order), DEV_BATCH):
        batch = order[first:first + DEV_BATCH]
        source = pad([sources[i] for i in batch]).to(device)
        with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
            memory, source_pad = model.encode(source)
            target = torch.full((len(batch), 1), BOS_ID, dtype=torch.long, device=device)
            finished = torch.zeros(len(batch), dtype=torch.bool, device=device)
            for _ in range(2 * source.size(1) + max_extra):
                logits = model.decode(target, memory, source_pad, last_only=True)[:, -1]
                next_ids = logits.argmax(-1).masked_fill(finished, PAD_ID)
                target = torch.cat([target, next_ids[:, None]], dim=1)
                finished |= next_ids.eq(EOS_ID)
                if bool(finished.all()):
                    break
        for row, index in zip(target.tolist(), batch, strict=True):
            tokens = row[1:]
            output[index] = tokens[:tokens.index(EOS_ID)] if EOS_ID in tokens else [t for t in tokens if t != PAD_ID]
    model.train()
    return output


def dev_chrf(model: Translator, sp, dev_sources: list[str], dev_references: list[str], device) -> float:
    hypotheses = [sp.decode(ids) for ids in greedy_translate(model, sp.encode(dev_sources), device)]
    return round(sacrebleu.corpus_chrf(hypotheses, [dev_references]).score, 2)


def dev_chrf_ctranslate2(model: Translator, model_config: dict, sp, dev_sources: list[str],
                         dev_references: list[str], threads: int = 2) -> float:
    import ctranslate2
    from convert import TorchTranslatorConverter  # convert imports train, which imports this module

    weights = {name: value.detach().float() for name, value in model.state_dict().items()}
    vocabulary = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    with tempfile.TemporaryDirectory() as folder:
        TorchTranslatorConverter(weights, model_config, vocabulary).convert(folder, quantization="int8", force=True)
        translator = ctranslate2.Translator(folder, device="cpu", compute_type="int8", intra_threads=threads)
        pieces = sp.encode(dev_sources, out_type=str)
        results = translator.translate_batch(pieces, beam_size=4, length_penalty=0.2, max_batch_size=32,
                                             max_decoding_length=2 * max(map(len, pieces)) + 16)
    hypotheses = [sp.decode(result.hypotheses[0]) for result in results]
    return round(sacrebleu.corpus_chrf(hypotheses, [dev_references]).score, 2)
