"""`python -m bot [COMMAND]`: serve (the default), db upgrade."""

import argparse
import sys

from bot.logs import configure_logging
from bot.serve import serve
from bot.startup import StartupError, prepare, upgrade_database


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m bot", description="The register bot.")
    commands = root.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("serve", help="serve Slack (the default): Socket Mode or HTTP on PORT")
    db = commands.add_parser("db", help="database schema")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser("upgrade", help="upgrade the schema to the newest revision")
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    configure_logging()
    try:
        if args.command == "db":
            upgrade_database()
            print("The database schema is up to date.")
            return 0
        serve(prepare(for_slack=True, migrate=True))
        return 0
    except StartupError as error:
        print(error, file=sys.stderr)
        return 2
