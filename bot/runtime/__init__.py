"""The processes and what they share: the CLI, serving, the web app, start-up, the scheduler,
settings, logs, the Web API client, the audit key and anchors, the erasure ledger."""
