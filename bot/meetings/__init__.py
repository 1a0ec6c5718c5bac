"""`/tapaaminen`: the meeting form, its person select, and the `meeting_log` button."""
