"""Typed records that flow through the pipeline: article → sentences → retrieval → answer."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Sentence(BaseModel):
    """One sentence of a source article; `start`/`end` are character offsets into that file's text."""

    model_config = ConfigDict(frozen=True)

    id: str  # "<source stem>:s<position>", stable while the article is unchanged
    text: str
    start: int
    end: int
    source: str  # file name of the article
    position: int  # 0-based order within its article

    @property
    def is_headline(self) -> bool:
        """A short line without a full stop: a headline (or a picture's credit), which only restates its story."""
        return len(self.text.split()) <= 16 and not self.text.rstrip().endswith((".", "!", "?", '"', "”"))


class Citation(BaseModel):
    sentence_id: str
    text: str
    start: int
    end: int
    source: str

    @classmethod
    def of(cls, sentence: Sentence) -> "Citation":
        return cls(sentence_id=sentence.id, text=sentence.text, start=sentence.start, end=sentence.end, source=sentence.source)


class Retrieved(BaseModel):
    """A sentence with its retrieval scores (dense cosine, BM25, fused rank score)."""

    sentence: Sentence
    dense: float = 0.0
    lexical: float = 0.0
    fused: float = 0.0


class Answer(BaseModel):
    question: str
    resolved_question: str = ""
    answer: str
    abstained: bool
    citations: list[Citation] = Field(default_factory=list)
    confidence: float = 0.0
    latency_ms: float = 0.0
    engine: str = "extractive"
    context: list[Citation] = Field(default_factory=list)  # everything retrieved, for /sources

    def public_json(self) -> dict:
        """The `ask --json` object."""
        return self.model_dump(exclude={"context"})


class Turn(BaseModel):
    """One exchange of a conversation, as the follow-up resolver sees it."""

    question: str
    resolved_question: str
    answer: str
    abstained: bool = False
    citations: list[Citation] = Field(default_factory=list)
