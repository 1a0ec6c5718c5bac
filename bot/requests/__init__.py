"""`/tietopyynto`: data-subject requests, from the form through the alerts to their fulfilment."""
