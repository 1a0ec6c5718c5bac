"""Pydantic models for everything that crosses the Slack boundary into the bot."""
