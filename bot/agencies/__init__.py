"""The agencies of a deployment, and the end of an agency's service: its register exported or
erased, from Slack by its admin or from the command line by the deployment's operator."""
