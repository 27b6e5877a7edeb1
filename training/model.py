"""The Transformer trained by the recipe, built from torch.nn layers.

Its layout is the one CTranslate2's TransformerSpec expects (pre-norm layers,
final layer norms, embeddings scaled by sqrt(d_model), one embedding matrix
shared by source, target and output projection), so `convert.py` only copies
tensors.
"""

import math

import torch
from torch import nn

PAD_ID, BOS_ID, EOS_ID = 0, 2, 3  # fixed by train_spm.py
LAYER_NORM_EPS = 1e-6  # CTranslate2's layer norm epsilon


def sinusoidal_table(length: int, depth: int) -> torch.Tensor:
    """Sin half then cos half, the tensor2tensor layout; written into the CT2 model as is."""
    half = depth // 2
    timescales = torch.exp(torch.arange(half, dtype=torch.float32) * -(math.log(10000.0) / (half - 1)))
    scaled = torch.arange(length, dtype=torch.float32)[:, None] * timescales[None, :]
    return torch.cat([torch.sin(scaled), torch.cos(scaled)], dim=1)


def pad(sequences: list[list[int]]) -> torch.Tensor:
    """Token id lists as one right-padded batch."""
    width = max(len(s) for s in sequences)
    return torch.tensor([s + [PAD_ID] * (width - len(s)) for s in sequences], dtype=torch.long)


class Translator(nn.Module):
    def __init__(self, vocab_size: int, d_model: int, heads: int, ffn: int,
                 encoder_layers: int, decoder_layers: int, dropout: float, max_positions: int):
        super().__init__()
        self.d_model = d_model
        self.heads = heads
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=PAD_ID)
        nn.init.normal_(self.embed.weight, mean=0.0, std=d_model ** -0.5)
        self.register_buffer("positions", sinusoidal_table(max_positions, d_model), persistent=False)
        self.dropout = nn.Dropout(dropout)
        layer_args = dict(d_model=d_model, nhead=heads, dim_feedforward=ffn, dropout=dropout,
                          batch_first=True, norm_first=True, layer_norm_eps=LAYER_NORM_EPS)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(**layer_args), encoder_layers,
            norm=nn.LayerNorm(d_model, eps=LAYER_NORM_EPS), enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(
            nn.TransformerDecoderLayer(**layer_args), decoder_layers,
            norm=nn.LayerNorm(d_model, eps=LAYER_NORM_EPS))
        self.output_bias = nn.Parameter(torch.zeros(vocab_size))

    def embed_tokens(self, ids: torch.Tensor) -> torch.Tensor:
        scaled = self.embed(ids) * math.sqrt(self.d_model)
        return self.dropout(scaled + self.positions[: ids.size(1)])

    def encode(self, source: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The encoder's output and the source padding mask (True = padding)."""
        source_pad = source.eq(PAD_ID)
        return self.encoder(self.embed_tokens(source), src_key_padding_mask=source_pad), source_pad

    def decode(self, target_in: torch.Tensor, memory: torch.Tensor, source_pad: torch.Tensor,
               last_only: bool = False) -> torch.Tensor:
        """Logits for every target position (or the last one), each seeing only the positions before it."""
        length = target_in.size(1)  # boolean like the padding masks: True = may not attend
        causal = torch.ones(length, length, dtype=torch.bool, device=target_in.device).triu(1)
        hidden = self.decoder(self.embed_tokens(target_in), memory, tgt_mask=causal, tgt_is_causal=True,
                              tgt_key_padding_mask=target_in.eq(PAD_ID),
                              memory_key_padding_mask=source_pad)
        if last_only:  # greedy decoding needs one position; projecting all of them costs O(length) more
            hidden = hidden[:, -1:]
        return hidden @ self.embed.weight.T + self.output_bias

    def forward(self, source: torch.Tensor, target_in: torch.Tensor) -> torch.Tensor:
        memory, source_pad = self.encode(source)
        return self.decode(target_in, memory, source_pad)
