"""`/rekisteri asetukset` (`/register settings`): the agency's own settings, shown and set by
its admin."""
