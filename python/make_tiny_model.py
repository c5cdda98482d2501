"""Writes a tiny, randomly initialised Llama-style model as GGUF, deterministically, with nothing downloaded.

The tokenizer is a byte-level BPE (GPT-2 style) trained with the `tokenizers` package on the prose in
python/data/; llama.cpp loads it as `tokenizer.ggml.model = gpt2` with the `gpt-2` pre-tokenizer, which
is the same regex split that `tokenizers`' ByteLevel pre-tokenizer applies. The weights come from a
seeded NumPy generator. Same inputs and seed give the same bytes, so the file's SHA-256 is stable.

usage: python make_tiny_model.py --out DIR [--seed N] [--vocab-size N]
writes DIR/tiny-llama.gguf, DIR/tokenizer.json (the same vocabulary for clients) and DIR/model.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import gguf
import numpy as np
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

HERE = Path(__file__).resolve().parent
MODEL_NAME = "tiny-llama"
BOS, EOS, IM_START = "<|endoftext|>", "<|im_end|>", "<|im_start|>"
SPECIAL_TOKENS = [BOS, IM_START, EOS]
# ChatML: the special tokens above frame each turn; generation stops at <|im_end|> (the EOS token).
CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
# Small enough to load in well under a second and generate hundreds of tokens per second on 2 cores.
BIAS_CHANNEL = 8.0
DIMS = {"n_embd": 64, "n_head": 4, "n_head_kv": 2, "n_ff": 192, "n_layer": 2, "n_ctx": 2048}


def train_tokenizer(texts: list[str], vocab_size: int) -> Tokenizer:
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(texts, trainer)
    return tok


def vocab_and_merges(tok: Tokenizer) -> tuple[list[str], list[str]]:
    model = json.loads(tok.to_str())["model"]
    by_id = sorted(model["vocab"].items(), key=lambda kv: kv[1])
    tokens = [t for t, _ in by_id]
    if [i for _, i in by_id] != list(range(len(tokens))):
        raise SystemExit("tokenizer ids are not contiguous")
    merges = [m if isinstance(m, str) else " ".join(m) for m in model["merges"]]
    return tokens, merges


def weights(rng: np.random.Generator, n_vocab: int, special_ids: list[int]) -> dict[str, np.ndarray]:
    d, ff, heads, kv = DIMS["n_embd"], DIMS["n_ff"], DIMS["n_head"], DIMS["n_head_kv"]
    kv_dim = d // heads * kv

    def mat(rows: int, cols: int, std: float) -> np.ndarray:
        return rng.normal(0.0, std, size=(rows, cols)).astype(np.float32)

    # NumPy shapes follow the PyTorch (out, in) layout; the GGUF writer reverses them to ggml order.
    # Hidden dimension 0 is a constant channel: every embedding holds BIAS_CHANNEL there and no layer
    # writes to it, so after the final RMSNorm it is always positive. Its output weights push the
    # special tokens' logits about 40 nats down, so the model never emits EOS or <|im_start|>: every
    # generation runs to max_tokens, which is what fixed-length latency benchmarks need.
    t: dict[str, np.ndarray] = {"token_embd.weight": mat(n_vocab, d, 0.5)}
    t["token_embd.weight"][:, 0] = BIAS_CHANNEL
    for i in range(DIMS["n_layer"]):
        p = f"blk.{i}."
        t[p + "attn_norm.weight"] = np.ones(d, dtype=np.float32)
        t[p + "attn_q.weight"] = mat(d, d, 0.125)
        t[p + "attn_k.weight"] = mat(kv_dim, d, 0.125)
        t[p + "attn_v.weight"] = mat(kv_dim, d, 0.125)
        t[p + "attn_output.weight"] = mat(d, d, 0.125)
        t[p + "attn_output.weight"][0, :] = 0.0
        t[p + "ffn_norm.weight"] = np.ones(d, dtype=np.float32)
        t[p + "ffn_gate.weight"] = mat(ff, d, 0.125)
        t[p + "ffn_up.weight"] = mat(ff, d, 0.125)
        t[p + "ffn_down.weight"] = mat(d, ff, 0.07)
        t[p + "ffn_down.weight"][0, :] = 0.0
    t["output_norm.weight"] = np.ones(d, dtype=np.float32)
    # Logit spread of about 2 nats: outputs vary with the prompt instead of one token winning everywhere.
    t["output.weight"] = mat(n_vocab, d, 0.25)
    t["output.weight"][:, 0] = 0.0
    t["output.weight"][special_ids, 0] = -8.0
    return t


def write_gguf(path: Path, tokens: list[str], merges: list[str], tensors: dict[str, np.ndarray]) -> None:
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_name(MODEL_NAME)
    w.add_context_length(DIMS["n_ctx"])
    w.add_embedding_length(DIMS["n_embd"])
    w.add_block_count(DIMS["n_layer"])
    w.add_feed_forward_length(DIMS["n_ff"])
    w.add_head_count(DIMS["n_head"])
    w.add_head_count_kv(DIMS["n_head_kv"])
    w.add_rope_dimension_count(DIMS["n_embd"] // DIMS["n_head"])
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_vocab_size(len(tokens))
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("gpt-2")
    w.add_token_list(tokens)
    special = set(SPECIAL_TOKENS)
    w.add_token_types(
        [gguf.TokenType.CONTROL if t in special else gguf.TokenType.NORMAL for t in tokens]
    )
    w.add_token_merges(merges)
    w.add_bos_token_id(tokens.index(BOS))
    w.add_eos_token_id(tokens.index(EOS))
    # BOS is prepended to every prompt, as Llama models do. llama-cpp-python's echo logprobs rely on
    # it: without a leading BOS they pair each prompt token with the next position's distribution.
    w.add_add_bos_token(True)
    w.add_chat_template(CHAT_TEMPLATE)
    for name, array in tensors.items():
        w.add_tensor(name, array)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--vocab-size", type=int, default=1024)
    args = ap.parse_args(argv)

    texts = [
        line
        for f in sorted((HERE / "data").glob("*.txt"))
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    tok = train_tokenizer(texts, args.vocab_size)
    tokens, merges = vocab_and_merges(tok)
    args.out.mkdir(parents=True, exist_ok=True)
    model_path = args.out / f"{MODEL_NAME}.gguf"
    special_ids = [tokens.index(t) for t in SPECIAL_TOKENS]
    write_gguf(model_path, tokens, merges, weights(np.random.default_rng(args.seed), len(tokens), special_ids))
    tok.save(str(args.out / "tokenizer.json"))
    manifest = {
        "name": MODEL_NAME,
        "file": model_path.name,
        "sha256": sha256(model_path),
        "bytes": model_path.stat().st_size,
        "seed": args.seed,
        "vocab_size": len(tokens),
        "merges": len(merges),
        "special_tokens": {"bos": BOS, "eos": EOS, "im_start": IM_START},
        "chat_template": CHAT_TEMPLATE,
        **DIMS,
    }
    (args.out / "model.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: manifest[k] for k in ("file", "sha256", "bytes", "vocab_size")}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
