"""The Slack side of the register bot."""
