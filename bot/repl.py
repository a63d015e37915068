"""Terminal chat: prompt_toolkit line editing + history when interactive, plain stdin lines otherwise."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.live import Live
from rich.text import Text

from bot.conversation import Conversation
from bot.errors import BotError
from bot.pipeline import QAChain
from bot.render import sources_view, to_terminal
from bot.schema import Answer

HELP = """Ask anything about the article; follow-up questions use the conversation so far.
  /sources  everything retrieved for the last answer (* = cited)
  /reset    forget the conversation
  /help     this text
  /quit     leave (Ctrl-D and Ctrl-C work too)"""

HISTORY_FILE = Path.home() / ".article_qa_history"
FALLBACK_NOTE = "(offline answer: the model's reply was unavailable or not backed by the article)"


def _line_reader(console: Console):
    if sys.stdin.isatty() and sys.stdout.isatty():
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory

        try:
            session = PromptSession(history=FileHistory(str(HISTORY_FILE)))
        except OSError:
            session = PromptSession()
        return lambda: session.prompt("you> ")

    def read() -> str:
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")

    return read


def _ask(console: Console, conversation: Conversation, line: str) -> Answer:
    """Show the model's draft as it streams (engines with `streaming`, real terminals only); the draft is
    transient, so what stays on screen is the verified answer or the offline fallback."""
    streaming = getattr(conversation.chain.answerer, "streaming", None)
    if streaming is None or not console.is_terminal:
        return conversation.ask(line)
    with Live(console=console, transient=True, refresh_per_second=12) as live:
        with streaming(lambda draft: live.update(Text(draft, style="dim"))):
            return conversation.ask(line)


def run_chat(chain: QAChain, max_turns: int = 8, console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    conversation = Conversation(chain, max_turns=max_turns)
    read = _line_reader(console)
    console.print(f"[bold]Article chat[/bold] over {', '.join(chain.sources)} — /help for commands.")
    while True:
        try:
            line = read().strip()
        except (EOFError, KeyboardInterrupt):
            console.print("bye")
            return
        if not line:
            continue
        command = line.lower()
        if command in ("/quit", "/exit", "/q"):
            console.print("bye")
            return
        if command == "/help":
            console.print(HELP, markup=False)
        elif command == "/reset":
            conversation.reset()
            console.print("Conversation cleared.")
        elif command == "/sources":
            console.print(sources_view(conversation.last))
        elif command.startswith("/"):
            console.print(f"Unknown command {line.split()[0]!r}; /help lists the commands.", markup=False)
        else:
            try:
                answer = _ask(console, conversation, line)
                console.print(to_terminal(answer))
                if answer.engine == "extractive-fallback":
                    console.print(FALLBACK_NOTE, style="dim")
            except BotError as err:
                console.print(str(err), style="yellow", markup=False)
            except KeyboardInterrupt:
                console.print("(cancelled)")
