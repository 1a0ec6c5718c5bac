"""`/rekisteri` itself: staff and roles, help, the audit-chain check, language, undelivered."""
