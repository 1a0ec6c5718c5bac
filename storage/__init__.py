"""The register: models, migrations, queries and the rules that govern them."""
