"""The terminal adapter: the embedded default, with no tokens and no network."""

from adapters.console.chat import ConsoleChat, run_console

__all__ = ["ConsoleChat", "run_console"]
