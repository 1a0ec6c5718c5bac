"""`/asiakas`: the search and its hits, the person form and card, consents and disclosures."""
