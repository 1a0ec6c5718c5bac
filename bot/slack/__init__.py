"""The Slack plumbing every feature shares: middleware, transactions, errors, replies, i18n,
text, ids, and the input types every form reads with."""
