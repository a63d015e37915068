"""Answer → Discord message texts. Pure functions (no discord.py client), so splitting and escaping are unit-testable.

Plain text rather than embeds: it reads well on mobile, quotes can be copied, and a 2,000-character message
limit is simpler to respect than the embed limits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from discord.utils import escape_markdown, escape_mentions

from bot.schema import Answer, Citation

MESSAGE_LIMIT = 2000  # Discord's limit for a message's content
QUOTE_PREFIX = "> "


def escape(text: str) -> str:
    """Text from users or articles, made inert: no markdown, no @everyone/@here/<@id> (even if pings were allowed)."""
    return escape_mentions(escape_markdown(" ".join(text.split())))


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def quote_block(number: int, citation: Citation) -> str:
    return f"{QUOTE_PREFIX}**[{number}]** “{escape(citation.text)}” — {_code(citation.sentence_id)}"


def not_covered(n_sources: int) -> str:
    subject = "The indexed article doesn't" if n_sources <= 1 else "None of the indexed articles"
    verb = "cover" if n_sources <= 1 else "covers"
    return f"{subject} {verb} that. Try rephrasing, or use /about to see what is indexed."


def answer_messages(
    answer: Answer, *, n_sources: int = 1, question: str | None = None, limit: int = MESSAGE_LIMIT
) -> list[str]:
    """The concise answer, then its cited sentences as numbered quotes, split into messages of at most `limit`.

    `question` is echoed (escaped) when Discord doesn't show it next to the answer, i.e. for slash commands.
    """
    blocks: list[str] = []
    if question is not None:
        blocks.append(f"**Q:** {escape(question)}")
    if answer.abstained:
        blocks.append(not_covered(n_sources))
    else:
        blocks.append(escape(answer.answer) or "(empty answer)")
        blocks.extend(quote_block(i, c) for i, c in enumerate(answer.citations, 1))
    return pack(blocks, limit)


def sources_messages(answer: Answer | None, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Everything retrieved for the last answer; cited sentences are starred, like the terminal's /sources."""
    if answer is None:
        return ["No answer yet in this conversation: ask a question first."]
    cited = {c.sentence_id for c in answer.citations}
    blocks = [f"Retrieved for: {escape(answer.resolved_question or answer.question)}"]
    for c in answer.context:
        star = "★ " if c.sentence_id in cited else ""
        blocks.append(f"{QUOTE_PREFIX}{star}{_code(f'{c.sentence_id} [{c.start}:{c.end}]')} {escape(c.text)}")
    if not answer.context:
        blocks.append("(nothing was retrieved)")
    return pack(blocks, limit)


def about_message(sources: Sequence[str]) -> str:
    names = "\n".join(f"• {_code(name)}" for name in sources) or "• (none)"
    text = (
        f"I answer questions about {'this article' if len(sources) == 1 else 'these articles'}, quoting the sentences "
        f"each answer rests on:\n{names}\nMention me, DM me, reply to my answers, or use /ask."
    )
    return pack([text])[0]


def pack(blocks: Iterable[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Greedily join blocks (one per line) into messages ≤ limit; a block is only cut if it alone exceeds limit."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        for piece in _fit(block, limit):
            if current and len(current) + 1 + len(piece) <= limit:
                current += "\n" + piece
            else:
                if current:
                    messages.append(current)
                current = piece
    if current:
        messages.append(current)
    return messages


def _fit(block: str, limit: int) -> list[str]:
    """Cut an oversized block at whitespace; continuations of a quote keep the prefix so they still render as one."""
    if len(block) <= limit:
        return [block]
    prefix = QUOTE_PREFIX if block.startswith(QUOTE_PREFIX) else ""
    body = block[len(prefix) :]
    width = limit - len(prefix)
    pieces: list[str] = []
    while len(body) > width:
        cut = body.rfind(" ", width // 2, width + 1)
        if cut <= 0:
            cut = width
            while cut > 1 and body[cut - 1] == "\\":  # never separate an escape from the character it escapes
                cut -= 1
        pieces.append(prefix + body[:cut].rstrip())
        body = body[cut:].lstrip()
    if body:
        pieces.append(prefix + body)
    return pieces
