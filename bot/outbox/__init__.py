"""Everything the bot must say that is not an immediate answer: written to the outbox with the
work, delivered after the commit, retried by the clock until delivered."""
