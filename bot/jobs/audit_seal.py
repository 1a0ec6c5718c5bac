"""`audit-seal`, every minute: seals the audit events still queued, every agency's into its own
chain. The serving processes' sealers do it within a second; this is the clock's round for when
none runs, and the operator's `python -m bot jobs run audit-seal`."""

from gettext import ngettext

from bot.jobs.job import Job, JobContext, per_minute
from bot.runtime.audit_sealer import seal_now


def seal_audit_trail(job: JobContext) -> str:
    sealed = seal_now(job.database)
    return ngettext("%d audit event sealed", "%d audit events sealed", sealed) % sealed


AUDIT_SEAL = Job(
    name="audit-seal",
    description="seals the audit events still waiting for their place in the chain",
    run=seal_audit_trail,
    period_of=per_minute,
    cron={"minute": "*"},
    guarded=False,
)
