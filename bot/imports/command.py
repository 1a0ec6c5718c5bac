"""`python -m bot import persons|meetings FILE [--dry-run] [--report PATH] [--language fi|en]`.

Exit 0 once the file was read to the end, whatever lines it refused; 2 when it cannot be read
or its columns do not fit, and then nothing is imported; 1 when the database refused a batch,
and then what came in before it stays.
"""

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from bot.imports.inputs import MEETING_COLUMNS, PERSON_COLUMNS, ColumnsRefused
from bot.imports.outcome import default_report_path
from bot.imports.run import Clock, ImportStopped, import_meetings, import_persons
from bot.imports.table import UnreadableFile, read_table
from bot.runtime.startup import prepare
from bot.slack.i18n import N_, Nn_, Translator, translator
from storage import agency_settings

IMPORTS = {"persons": import_persons, "meetings": import_meetings}

UNKNOWN_COLUMNS = N_("Columns the import does not know: %(columns)s.")
MISSING_COLUMNS = N_("Columns the import needs: %(columns)s.")
COLUMNS_TWICE = N_("Columns named twice: %(columns)s.")
STOPPED = Nn_(
    "The database refused a batch (%(error)s) after %(count)d line: what came in before it "
    "stays. Run the import again to go on; what came in is skipped.",
    "The database refused a batch (%(error)s) after %(count)d lines: what came in before it "
    "stays. Run the import again to go on; what came in is skipped.",
)
NOTHING_IMPORTED = N_(
    "Nothing was imported. The columns are named by the register's fields, as in "
    "docs/operations.md (Importing an earlier register): %(known)s."
)


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "import", help="bring in an earlier register from CSV or XLSX (persons, then meetings)"
    )
    parser.add_argument("what", choices=sorted(IMPORTS), help="persons or meetings")
    parser.add_argument(
        "file", metavar="FILE", help="a .csv or .xlsx file, or - for standard input"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="check every line and report, write nothing"
    )
    parser.add_argument(
        "--report",
        type=Path,
        metavar="PATH",
        help="where to write the report (default: beside FILE, or here for standard input)",
    )
    parser.add_argument(
        "--language", choices=("fi", "en"), help="of the report (default: DEFAULT_LANGUAGE)"
    )


def run_import(args: argparse.Namespace) -> int:
    runtime = prepare(for_slack=False, migrate=False)
    with runtime.database.reading() as session:
        its = agency_settings.effective(
            session=session, deployment=runtime.settings.deployment_defaults
        )
    t = translator(args.language or its.default_language)
    try:
        table = read_table(args.file)
    except UnreadableFile as unreadable:
        print(t(unreadable.message, **unreadable.params), file=sys.stderr)
        return 2
    with tqdm(
        total=len(table.rows),
        unit=" lines",
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
        leave=False,
    ) as progress:
        exit_code = 0
        try:
            outcome = IMPORTS[args.what](
                runtime.database,
                table,
                dry_run=args.dry_run,
                clock=Clock.current(its.zone),
                progress=progress,
                timeout_ms=runtime.settings.database_job_statement_timeout_ms,
            )
        except ColumnsRefused as refused:
            print("\n".join(_column_problems(refused, args.what, t)), file=sys.stderr)
            return 2
        except ImportStopped as stopped:
            outcome, exit_code = stopped.outcome, 1
            print(t.n(*STOPPED, outcome.lines, error=stopped.error_type), file=sys.stderr)
    report = args.report or default_report_path(args.file)
    outcome.write_report(report, t)
    print("\n".join(outcome.summary(t, report)))
    return exit_code


def _column_problems(refused: ColumnsRefused, what: str, t: Translator) -> list[str]:
    known = PERSON_COLUMNS if what == "persons" else MEETING_COLUMNS
    lines = []
    if refused.unknown:
        lines.append(t(UNKNOWN_COLUMNS, columns=", ".join(refused.unknown)))
    if refused.missing:
        lines.append(t(MISSING_COLUMNS, columns=", ".join(refused.missing)))
    if refused.twice:
        lines.append(t(COLUMNS_TWICE, columns=", ".join(refused.twice)))
    lines.append(t(NOTHING_IMPORTED, known=", ".join(known)))
    return lines
