"""The ONNX Runtime embeddings against the reference (sentence-transformers on the same installed weights), and
the exported graph's cache: made once, reused, replaced when damaged."""

from __future__ import annotations

import numpy as np
import pytest

TEXTS = [
    "How many 5G contracts has Huawei signed in Europe?",
    "warn",
    "a",
    "Huawei has shipped more than 40,000 5G base stations, the company said on Tuesday at the congress in Barcelona.",
    "Ελληνικά και 中文 mixed with English",
    "word " * 400,  # beyond the model's 256 tokens: truncated as sentence-transformers truncates
]


@pytest.fixture(scope="module")
def reference():
    from sentence_transformers import SentenceTransformer

    from bot.models import embedding_model_path

    return SentenceTransformer(str(embedding_model_path()), device="cpu", local_files_only=True)


def test_vectors_match_sentence_transformers(reference):
    from bot.models import get_embeddings

    ours = np.asarray(get_embeddings().embed_documents(TEXTS), dtype="float32")
    expected = reference.encode(TEXTS, normalize_embeddings=True)
    assert ours.shape == (len(TEXTS), 384)
    np.testing.assert_allclose(ours, expected, atol=1e-5)
    # the order of the input is kept although texts are batched by length
    np.testing.assert_allclose(get_embeddings().embed_query(TEXTS[3]), expected[3], atol=1e-5)


def test_empty_input_gives_no_vectors():
    from bot.models import get_embeddings

    assert get_embeddings().embed_documents([]) == []


def test_graph_is_exported_once_and_reused(tmp_path, reference):
    from bot.embeddings import OnnxMiniLMEmbeddings, cached_onnx_path
    from bot.models import embedding_model_path

    model = embedding_model_path()
    first = OnnxMiniLMEmbeddings(model, tmp_path)
    graph = cached_onnx_path(model, tmp_path)
    assert graph.is_file() and graph.parent == tmp_path
    assert not list(tmp_path.glob("*.tmp")), "no half-written export is left behind"
    exported_at = graph.stat().st_mtime_ns
    second = OnnxMiniLMEmbeddings(model, tmp_path)
    assert graph.stat().st_mtime_ns == exported_at  # loaded, not exported again
    np.testing.assert_allclose(second.embed_query("the same"), first.embed_query("the same"), atol=1e-6)

    graph.write_bytes(b"not an onnx graph")  # a damaged cache is exported again, not trusted
    repaired = OnnxMiniLMEmbeddings(model, tmp_path)
    np.testing.assert_allclose(repaired.embed_query(TEXTS[0]), reference.encode([TEXTS[0]], normalize_embeddings=True)[0], atol=1e-5)


def test_answering_runs_without_torch(tmp_path):
    """The embeddings need neither torch nor sentence-transformers once the graph is exported."""
    import subprocess
    import sys

    from conftest import REPO

    from bot.models import get_embeddings

    get_embeddings()  # the graph is exported (with torch) by now, in this process
    code = (
        "import sys; from bot.models import get_embeddings; get_embeddings().embed_query('x'); "
        "print(sorted(m for m in ('torch', 'sentence_transformers') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"
