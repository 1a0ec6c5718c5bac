"""`/rekisteri raportti` and `/rekisteri kysely`: the report, its files, the survey list."""
