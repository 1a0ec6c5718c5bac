"""The terminal console: the bot's own app and listeners, with Slack stood in for in-process."""
