"""The agencies one deployment serves. Each is the controller of its own register: every other
table's rows belong to one agency (storage.models.base.AgencyOwned), and no act of one agency
reaches another's rows (storage.tenancy)."""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import NEVER_REUSED_IDS, Base, utcnow

# The agency of a deployment that serves one workspace: migration 0019 made it, and every row
# that existed before then is its.
THE_AGENCY = 1
# Where a deployment for many workspaces keeps their installations and bot tokens (migration
# 0023): slack_sdk's installation and OAuth state stores define them, not these models.
INSTALLATION_TABLES = frozenset({"slack_installations", "slack_bots", "slack_oauth_states"})


class Agency(Base):
    __tablename__ = "agencies"
    __table_args__ = NEVER_REUSED_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    # The Slack workspace (team) the agency installed the bot in; None: the one workspace of a
    # single-workspace deployment.
    slack_team_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    slack_enterprise_id: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the workspace removed the bot: its jobs stop; its register stays.
    uninstalled_at: Mapped[datetime | None] = mapped_column(default=None)
    # Set when its admin had its whole register erased (storage.agency_register).
    register_erased_at: Mapped[datetime | None] = mapped_column(default=None)

    # The agency's own settings; None: the deployment's (storage.agency_settings).
    reminder_channel_id: Mapped[str | None] = mapped_column(String(32), default=None)
    timezone: Mapped[str | None] = mapped_column(String(64), default=None)
    default_language: Mapped[str | None] = mapped_column(String(2), default=None)
    retention_customer_months: Mapped[int | None] = mapped_column(default=None)
    retention_member_months: Mapped[int | None] = mapped_column(default=None)
    retention_stakeholder_months: Mapped[int | None] = mapped_column(default=None)
    request_retention_years: Mapped[int | None] = mapped_column(default=None)
    audit_retention_years: Mapped[int | None] = mapped_column(default=None)
    # A register description document, {"fi": {...}, "en": {...}}, as JSON text.
    register_description: Mapped[str | None] = mapped_column(Text, default=None)
