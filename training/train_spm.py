"""Train one SentencePiece model shared by Indonesian and English.

Argos packages carry a single `sentencepiece.model` used both to encode the
source and to decode the target, so the vocabulary is joint. Special ids are
fixed because the Transformer and the CTranslate2 vocabulary rely on them.
"""

import argparse
from pathlib import Path

import sentencepiece as spm

PAD_ID, UNK_ID, BOS_ID, EOS_ID = 0, 1, 2, 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-dir", type=Path, default=Path("training/work"))
    parser.add_argument("--vocab-size", type=int, default=16000,
                        help="16K beat 8K in the GPU comparison (training/README.md)")
    parser.add_argument("--output", type=Path, default=None, help="default: <work>/sentencepiece.model")
    args = parser.parse_args()
    output = args.output or args.work_dir / "sentencepiece.model"
    output.parent.mkdir(parents=True, exist_ok=True)
    spm.set_random_generator_seed(1)  # same corpus -> same model, so a re-run keeps checkpoints valid
    spm.SentencePieceTrainer.train(
        input=[str(args.work_dir / "train.id"), str(args.work_dir / "train.en")],
        model_prefix=str(output.with_suffix("")),
        vocab_size=args.vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        pad_id=PAD_ID, unk_id=UNK_ID, bos_id=BOS_ID, eos_id=EOS_ID,
        pad_piece="<blank>", unk_piece="<unk>", bos_piece="<s>", eos_piece="</s>",
        input_sentence_size=1_000_000, shuffle_input_sentence=True,
        num_threads=2, minloglevel=1,
    )
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
