"""The Slack adapter (slack-bolt, async): Socket Mode by default, HTTP mode as the alternative.

`create_app(settings)` builds the configured app and starts nothing; `runtime_of(app)` gives
the service and store it uses. `run(runtime)` serves Slack until cancelled.
"""

from adapters.slack.app import build_app, create_app, run, runtime_of

__all__ = ["build_app", "create_app", "run", "runtime_of"]
