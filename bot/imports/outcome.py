"""What an import did, line by line where a line was left out: the report file and the summary.

The report names each refused or skipped line by its number, the column and the reason, and
nothing that the line holds: a duplicate is named by the public reference of the person it
repeats (none for a restricted person) or by the line it repeats.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.imports.inputs import Columns, Problem
from bot.imports.table import STDIN
from bot.slack.i18n import N_, Nn_, Translator
from bot.slack.ids import PersonField
from storage.imports import ALREADY_IMPORTED, Skipped
from storage.meeting_imports import MeetingProblem, RefusedMeeting
from storage.spreadsheets import Cell, csv_bytes

REFUSED = N_("refused")
SKIPPED = N_("skipped")
REPORT_HEADER = (N_("line"), N_("outcome"), N_("column"), N_("reason"))

MATCHED = {
    "email": N_("e-mail"),
    "phone_numbers": N_("phone number"),
    "name_and_birth_date": N_("name and date of birth"),
}
MATCHED_COLUMNS = {
    "email": (PersonField.EMAIL,),
    "phone_numbers": (PersonField.PHONE_NUMBERS,),
    "name_and_birth_date": (PersonField.FIRST_NAME, PersonField.LAST_NAME, PersonField.BIRTH_DATE),
}
BROUGHT_IN = N_("Brought in by an earlier import as %(reference)s.")
BROUGHT_IN_RESTRICTED = N_("Brought in by an earlier import (a restricted person).")
BROUGHT_IN_MEETING = N_("Brought in by an earlier import.")
IN_REGISTER = N_("Already in the register as %(reference)s (matches on: %(matched)s).")
IN_REGISTER_RESTRICTED = N_(
    "Already in the register as a restricted person (matches on: %(matched)s)."
)
REPEATS = N_("Repeats line %(line)d (matches on: %(matched)s).")
REPEATS_WORD_FOR_WORD = N_("Repeats line %(line)d word for word.")
MEETING_PROBLEMS = {
    MeetingProblem.NO_SUCH_PERSON: N_("No person in the register has this reference or e-mail."),
    MeetingProblem.SEVERAL_PERSONS: N_(
        "Several persons have this e-mail: give the public reference instead."
    ),
    MeetingProblem.NO_SUCH_ADVISOR: N_("No staff member has this Slack user id."),
    MeetingProblem.PERSON_RESTRICTED: N_(
        "The person's data is restricted (Art 18): it is only stored, so no meeting is added."
    ),
}

ROWS_READ = Nn_("%(count)d line read.", "%(count)d lines read.")
PERSONS_IMPORTED = Nn_("%(count)d person brought in.", "%(count)d persons brought in.")
PERSONS_TO_IMPORT = Nn_(
    "%(count)d person would be brought in.", "%(count)d persons would be brought in."
)
MEETINGS_IMPORTED = Nn_("%(count)d meeting brought in.", "%(count)d meetings brought in.")
MEETINGS_TO_IMPORT = Nn_(
    "%(count)d meeting would be brought in.", "%(count)d meetings would be brought in."
)
LINES_SKIPPED = Nn_(
    "%(count)d line skipped: already in the register, or earlier in the file.",
    "%(count)d lines skipped: already in the register, or earlier in the file.",
)
LINES_REFUSED = Nn_("%(count)d line refused.", "%(count)d lines refused.")
DRY_RUN = N_("A dry run: nothing was written to the register.")
REPORT_AT = N_("The skipped and refused lines, with the reasons: %(path)s")


@dataclass(frozen=True)
class Entry:
    """A line of the report: `refused` (REFUSED) or `skipped` (SKIPPED)."""

    line: int
    outcome: str
    column: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    """The import's counts, and the report's lines."""

    persons: bool
    dry_run: bool
    lines: int = 0
    imported: int = 0
    entries: list[Entry] = field(default_factory=list)

    def refused(self, problems: list[Problem]) -> None:
        self.entries.extend(Entry(p.line, REFUSED, p.column, p.message, p.params) for p in problems)

    def skipped_person(self, skipped: Skipped, columns: Columns) -> None:
        self.entries.append(_skipped_person(skipped, columns))

    def skipped_meeting(self, line: int, of_line: int | None) -> None:
        if of_line is None:
            self.entries.append(Entry(line, SKIPPED, "", BROUGHT_IN_MEETING))
        else:
            self.entries.append(Entry(line, SKIPPED, "", REPEATS_WORD_FOR_WORD, {"line": of_line}))

    def refused_meeting(self, refused: RefusedMeeting, columns: Columns) -> None:
        message = MEETING_PROBLEMS[refused.problem]
        self.entries.append(Entry(refused.line, REFUSED, columns.name(refused.field), message))

    def count(self, outcome: str) -> int:
        return len({entry.line for entry in self.entries if entry.outcome == outcome})

    def summary(self, t: Translator, report: Path) -> list[str]:
        imported = {
            (True, False): PERSONS_IMPORTED,
            (True, True): PERSONS_TO_IMPORT,
            (False, False): MEETINGS_IMPORTED,
            (False, True): MEETINGS_TO_IMPORT,
        }[self.persons, self.dry_run]
        lines = [
            t.n(*ROWS_READ, self.lines),
            t.n(*imported, self.imported),
            t.n(*LINES_SKIPPED, self.count(SKIPPED)),
            t.n(*LINES_REFUSED, self.count(REFUSED)),
        ]
        if self.dry_run:
            lines.append(t(DRY_RUN))
        lines.append(t(REPORT_AT, path=str(report)))
        return lines

    def write_report(self, path: Path, t: Translator) -> None:
        """The report as the register's other spreadsheets are written: CSV for a Finnish
        spreadsheet, in the line order of the file."""
        rows: list[list[Cell]] = [[t(title) for title in REPORT_HEADER]]
        for entry in sorted(self.entries, key=lambda e: e.line):
            params = {
                name: ", ".join(t(word) for word in value) if isinstance(value, tuple) else value
                for name, value in entry.params.items()
            }
            rows.append([entry.line, t(entry.outcome), entry.column, t(entry.message, **params)])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(csv_bytes(rows))


def _skipped_person(skipped: Skipped, columns: Columns) -> Entry:
    reference = {"reference": skipped.reference}
    if skipped.matched_on == (ALREADY_IMPORTED,):
        message = BROUGHT_IN if skipped.reference else BROUGHT_IN_RESTRICTED
        return Entry(skipped.line, SKIPPED, "", message, reference)
    kinds = skipped.matched_on
    column = ", ".join(columns.name(name) for kind in kinds for name in MATCHED_COLUMNS[kind])
    matched = {"matched": tuple(MATCHED[kind] for kind in kinds)}
    if skipped.of_line is not None:
        if not kinds:
            return Entry(
                skipped.line, SKIPPED, "", REPEATS_WORD_FOR_WORD, {"line": skipped.of_line}
            )
        return Entry(skipped.line, SKIPPED, column, REPEATS, {"line": skipped.of_line, **matched})
    if skipped.reference is None:
        return Entry(skipped.line, SKIPPED, column, IN_REGISTER_RESTRICTED, matched)
    return Entry(skipped.line, SKIPPED, column, IN_REGISTER, {**reference, **matched})


def default_report_path(source: str) -> Path:
    """Beside the file read, or in the working directory for standard input."""
    if source == STDIN:
        return Path("import-report.csv")
    path = Path(source)
    return path.with_name(f"{path.stem}.report.csv")
