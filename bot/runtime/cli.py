"""`python -m bot [COMMAND]`: serve (the default), console, clock, jobs, erasures, import,
agencies, db upgrade."""

import argparse
import sys
from gettext import ngettext
from pathlib import Path

from bot.agencies.command import add_parser as add_agencies_parser
from bot.agencies.command import run_agencies
from bot.console.session import run_console
from bot.imports.command import add_parser as add_import_parser
from bot.imports.command import run_import
from bot.jobs import JOBS
from bot.jobs.erasure_replay import replay_ledger
from bot.jobs.runner import AgencyOutcome, UnknownAgency, run_job
from bot.runtime.audit_sealer import AuditSealer
from bot.runtime.erasure_ledger import export_ledger
from bot.runtime.installations import bot_tokens
from bot.runtime.logs import configure_logging
from bot.runtime.scheduler import build_scheduler, trigger_for
from bot.runtime.schedules import describe
from bot.runtime.serve import serve
from bot.runtime.slack_client import build_web_client
from bot.runtime.startup import StartupError, prepare, settings_or_stop, upgrade_database
from storage.agency_settings import agencies_at_work


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m bot", description="The register bot.")
    commands = root.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser(
        "serve", help="the default: serve Slack (Socket Mode or HTTP on PORT) and run the jobs"
    )
    commands.add_parser(
        "console", help="try the bot without Slack: slash commands and forms in this terminal"
    )
    commands.add_parser("clock", help="run the scheduled jobs alone (scale-out: exactly one)")
    jobs = commands.add_parser("jobs", help="scheduled jobs")
    job_commands = jobs.add_subparsers(dest="jobs_command", metavar="ACTION", required=True)
    job_commands.add_parser("list", help="list the jobs and their schedules")
    run = job_commands.add_parser("run", help="run one job now, once for its period")
    run.add_argument("name", help="the job's name, e.g. audit-verify")
    run.add_argument("--force", action="store_true", help="run even if the period already ran")
    run.add_argument(
        "--agency", type=int, metavar="ID", help="run for this agency alone (default: every one)"
    )
    erasures = commands.add_parser(
        "erasures", help="the erasure ledger (ERASURE_LEDGER_PATH), kept outside the database"
    )
    erasure_commands = erasures.add_subparsers(
        dest="erasures_command", metavar="ACTION", required=True
    )
    erasure_commands.add_parser(
        "export", help="print every erasure the database records, as ledger lines"
    )
    ledger = erasure_commands.add_parser(
        "import",
        help="one erasure replay that also reads FILE (a ledger kept elsewhere, or an export)",
    )
    ledger.add_argument("file", type=Path, help="a ledger, or the output of export")
    add_import_parser(commands)
    add_agencies_parser(commands)
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
        elif args.command == "erasures":
            return erasure_ledger(args)
        elif args.command == "import":
            return run_import(args)
        elif args.command == "agencies":
            return run_agencies(args)
        elif args.command == "jobs" and args.jobs_command == "list":
            list_jobs()
        elif args.command == "jobs":
            return run_one_job(args.name, force=args.force, agency=args.agency)
        elif args.command == "console" or (args.command is None and console_instead()):
            return run_console()
        elif args.command == "clock":
            runtime = prepare(for_slack=False, migrate=False, for_jobs=True)
            AuditSealer(runtime.database).start()
            build_scheduler(runtime, blocking=True).start()
        else:
            serve(prepare(for_slack=True, migrate=True))
        return 0
    except StartupError as error:
        print(error, file=sys.stderr)
        return 2


def console_instead() -> bool:
    """`make run` on a fresh machine: no Slack credentials at all, and a person at a terminal."""
    settings = settings_or_stop()
    credentials = (
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
    )
    if any(credentials) or not sys.stdin.isatty():
        return False
    print("No Slack credentials are set: starting the terminal console instead.")
    print("(Set them to serve Slack; see `python -m bot --help`.)\n")
    return True


def erasure_ledger(args: argparse.Namespace) -> int:
    runtime = prepare(for_slack=False, migrate=False)
    if args.erasures_command == "export":
        export_ledger(runtime.database, sys.stdout)
        return 0
    if not args.file.is_file():
        print(f"No such file: {args.file}", file=sys.stderr)
        return 2
    with runtime.database.reading() as session:
        agencies = [agency.id for agency in agencies_at_work(session=session, uninstalled_too=True)]
    for agency in agencies:
        with runtime.database.transaction(agency=agency) as session:
            done = replay_ledger(session, runtime.settings.erasure_ledger_path, also=args.file)
        erased = len(done.replayed.erased)
        print(
            (f"Agency {agency}: " if len(agencies) > 1 else "")
            + ngettext("%d erasure record added", "%d erasure records added", done.recorded)
            % done.recorded
            + "; "
            + ngettext("%d person erased again.", "%d persons erased again.", erased) % erased
        )
        print(done.summary)
    return 0


def list_jobs() -> None:
    zone = settings_or_stop().zone
    for job in JOBS.values():
        print(f"{job.name}: {job.description} ({describe(trigger_for(job, zone))})")


def run_one_job(name: str, *, force: bool, agency: int | None = None) -> int:
    if name not in JOBS:
        print(f"No job named {name!r}. Jobs: {', '.join(sorted(JOBS))}", file=sys.stderr)
        return 2
    runtime = prepare(for_slack=False, migrate=False, for_jobs=True)
    client = build_web_client(runtime.settings)
    try:
        outcome = run_job(
            name,
            database=runtime.database,
            client=client,
            settings=runtime.settings,
            bot_tokens=bot_tokens(runtime.settings, runtime.database),
            agency=agency,
            force=force,
        )
    except UnknownAgency:
        print(f"No agency {agency} at work (unknown, or uninstalled).", file=sys.stderr)
        return 2
    if not outcome.agencies:  # a job of the deployment's
        print(f"{name} ran for {outcome.period}: {outcome.summary}")
    several = len(outcome.agencies) > 1
    for each in outcome.agencies:
        print_outcome(f"{name} (agency {each.agency})" if several else name, each)
    return 1 if outcome.failed else 0


def print_outcome(job: str, outcome: AgencyOutcome) -> None:
    if outcome.failed:
        print(f"{job} failed for {outcome.period}; see the log", file=sys.stderr)
    elif outcome.ran:
        print(f"{job} ran for {outcome.period}: {outcome.summary}")
    elif outcome.skipped:
        print(f"{job} did not run for {outcome.period}: {outcome.summary}")
    else:
        print(f"{job} already ran for {outcome.period}; nothing done (use --force to run again)")
