"""Errors whose message is meant for the user: frontends print `str(err)` on one line, never a traceback."""


class BotError(Exception):
    """Base class; the message is a complete, user-facing sentence."""


class InvalidQuestion(BotError):
    pass


class ArticleError(BotError):
    """An article file is missing, empty, binary or not UTF-8."""


class IndexProblem(BotError):
    """The index is missing, stale, corrupt or was built differently."""


class ModelProblem(BotError):
    """A model file is missing, corrupt or was made for other code."""
