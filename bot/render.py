"""Answer → text for each frontend. No answering logic here, only presentation."""

from __future__ import annotations

import json

from rich.console import Group
from rich.markup import escape
from rich.text import Text

from bot.schema import Answer, Citation


def to_json(answer: Answer) -> str:
    return json.dumps(answer.public_json(), ensure_ascii=False)


def quote_lines(citations: list[Citation]) -> list[str]:
    """Numbered quotes, one per cited sentence: `[1] “text” (source-id)`."""
    return [f"[{i}] “{c.text}” ({c.sentence_id})" for i, c in enumerate(citations, 1)]


def to_plain(answer: Answer) -> str:
    return "\n".join([answer.answer, *quote_lines(answer.citations)])


def to_terminal(answer: Answer) -> Group:
    parts = [Text(answer.answer, style="bold yellow" if answer.abstained else "bold")]
    for i, c in enumerate(answer.citations, 1):
        parts.append(Text.from_markup(f"  [cyan][{i}][/cyan] “{escape(c.text)}” [dim]({escape(c.sentence_id)})[/dim]"))
    return Group(*parts)


def sources_view(answer: Answer | None) -> Group:
    if answer is None:
        return Group(Text("No answer yet: ask a question first.", style="dim"))
    cited = {c.sentence_id for c in answer.citations}
    lines = [Text(f"Retrieved for: {answer.resolved_question or answer.question}", style="dim")]
    for c in answer.context:
        mark = "*" if c.sentence_id in cited else " "
        lines.append(Text(f"{mark} {c.sentence_id} [{c.start}:{c.end}] {c.text}"))
    return Group(*lines)
