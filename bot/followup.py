"""Offline follow-up resolution: rewrite an elliptical or pronoun-laden question into a standalone one."""

from __future__ import annotations

from typing import Sequence

from bot.schema import Turn


class RuleBasedResolver:
    def resolve(self, question: str, history: Sequence[Turn]) -> str:
        return question
