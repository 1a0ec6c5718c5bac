"""`python -m bot agencies list|export|erase`: the deployment's operator's view of its agencies,
and the end of an agency's service on its controller's written instruction, when its workspace
has removed the bot and its admin can no longer reach it from Slack.

Exit 0 when done; 2 when the agency, the file or the confirmation is wrong, and nothing done.
"""

import argparse
import sys
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from bot.agencies.register import erase_register, export_register_to
from bot.runtime.startup import Runtime, prepare
from storage.agencies import AgencyState, every_agency
from storage.agency_register import register_counts

OPERATOR = "operator"
MAIN_TABLES = ("persons", "meetings", "data_subject_requests", "staff", "audit_events")


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "agencies", help="the agencies this deployment serves; export or erase one's register"
    )
    actions = parser.add_subparsers(dest="agencies_command", metavar="ACTION", required=True)
    actions.add_parser("list", help="each agency: id, workspace, state and what its register holds")
    export = actions.add_parser(
        "export", help="write an agency's whole register to FILE, a ZIP of CSV files"
    )
    export.add_argument("agency", type=int, metavar="ID", help="the agency's id (see list)")
    export.add_argument("file", type=Path, metavar="FILE", help="a new file, e.g. agency-2.zip")
    erase = actions.add_parser(
        "erase",
        help="erase the whole register of an agency whose workspace removed the bot",
    )
    erase.add_argument("agency", type=int, metavar="ID", help="the agency's id (see list)")
    erase.add_argument(
        "--confirm",
        required=True,
        metavar="TEAM",
        help="the agency's Slack team id, repeated (its id for a single workspace's agency)",
    )


def state_of(agency: AgencyState) -> str:
    if agency.register_erased_at is not None:
        return f"register erased {agency.register_erased_at:%Y-%m-%d}"
    if agency.uninstalled_at is not None:
        return f"uninstalled {agency.uninstalled_at:%Y-%m-%d}, register kept"
    return "installed"


def confirmation_of(agency: AgencyState) -> str:
    """What the operator repeats to erase the register: its team id, or its id."""
    return agency.team_id or str(agency.id)


def run_agencies(args: argparse.Namespace) -> int:
    runtime = prepare(for_slack=False, migrate=False)
    if args.agencies_command == "list":
        for row in _agencies(runtime):
            print(_line(runtime, row))
        return 0
    agency = next((row for row in _agencies(runtime) if row.id == args.agency), None)
    if agency is None:
        print(f"No agency {args.agency}: see `python -m bot agencies list`.", file=sys.stderr)
        return 2
    if args.agencies_command == "export":
        return _export(runtime, agency, args.file)
    return _erase(runtime, agency, args.confirm)


def _agencies(runtime: Runtime) -> list[AgencyState]:
    with runtime.database.reading(agency=None) as session:
        return every_agency(session=session)


def _line(runtime: Runtime, row: AgencyState) -> str:
    with runtime.database.reading(agency=row.id) as session:
        counts = register_counts(session=session)
    held = ", ".join(f"{counts[table]} {table}" for table in MAIN_TABLES)
    workspace = row.team_id or "the single workspace"
    name = f" {row.name}" if row.name else ""
    return f"{row.id}: {workspace}{name} ({state_of(row)}): {held}"


def _export(runtime: Runtime, agency: AgencyState, path: Path) -> int:
    if path.exists():
        print(f"{path} exists: name a new file.", file=sys.stderr)
        return 2
    if not path.parent.is_dir():
        print(f"No such folder: {path.parent}", file=sys.stderr)
        return 2
    print(f"Exporting the register of agency {agency.id}…", file=sys.stderr)
    done = export_register_to(runtime.database, agency=agency.id, actor=OPERATOR, path=path)
    print(f"Agency {agency.id}: {done.total} rows in {len(done.rows)} tables written to {path}.")
    return 0


def _erase(runtime: Runtime, agency: AgencyState, confirmation: str) -> int:
    if confirmation != confirmation_of(agency):
        print(
            f"The confirmation does not match agency {agency.id}: repeat its team id "
            f"({confirmation_of(agency)}) after --confirm. Nothing was erased.",
            file=sys.stderr,
        )
        return 2
    if agency.team_id is not None and agency.uninstalled_at is None:
        print(
            f"Agency {agency.id} is still installed in its workspace: its admin erases the "
            "register from Slack (/rekisteri tyhjennä), or the workspace removes the app "
            "first. Nothing was erased.",
            file=sys.stderr,
        )
        return 2
    print(f"Erasing the register of agency {agency.id}…", file=sys.stderr)
    try:
        done = erase_register(runtime.database, runtime.settings, agency=agency.id, actor=OPERATOR)
    except DBAPIError as refused:
        print(
            f"The database refused the erasure ({type(refused.orig).__name__}), and nothing was "
            "erased. On PostgreSQL it deletes the audit trail, which only the tables' owner "
            "may: set DATABASE_OWNER_URL.",
            file=sys.stderr,
        )
        return 1
    print(
        f"Agency {agency.id}: register erased, {done.persons} persons recorded as erased, "
        f"{done.total} rows deleted ({done.audit_events} of them audit events)."
    )
    if done.audit_broken_at is not None:
        print(
            f"The audit trail was not pruned: its chain is broken at event "
            f"{done.audit_broken_at}, and the trail stays (docs/operations.md, Ending an "
            "agency's service).",
            file=sys.stderr,
        )
        return 1
    return 0
