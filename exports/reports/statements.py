"""What a company writes into its disclosure statements: the narrative of each section, and who approved and signed
the statement. The operations the API and the shell call; the figures come from the data when the report is built.

A statement is found by its framework and period; it is created by the first write to it. A narrative section
written empty is removed (the report then says the company has not written it). Nothing here is personal data
about workers or reporters: the approving body and the signing director are named because the statute asks for
them in the published statement.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from backend.errors import field_error
from backend.tenancy import Viewer, owned, visible
from exports.models import DisclosureNarrative, DisclosureStatement
from exports.reports.frameworks import Framework, framework_of, section_of
from exports.reports.parameters import check_period

MAX_NARRATIVE = 20_000  # characters of one section: several pages of the PDF
MAX_NAME = 200


@dataclass(frozen=True)
class StatementRecord:
    """What the company wrote for a framework and period (blank, and no narratives, when it wrote nothing)."""

    framework: Framework
    period_from: datetime.date
    period_to: datetime.date
    narratives: dict
    approved_by: str = ""
    approved_on: datetime.date | None = None
    signed_by: str = ""
    signed_on: datetime.date | None = None
    updated_at: datetime.datetime | None = None


def statement_record(viewer: Viewer, framework: str, period_from: datetime.date,
                     period_to: datetime.date) -> StatementRecord:
    """The viewer's statement of the framework and period, with its narratives by section code: two queries."""
    known = framework_of(framework)
    statement = (visible(DisclosureStatement, viewer).prefetch_related("narratives")
                 .filter(framework=framework, period_from=period_from, period_to=period_to).first())
    if statement is None:
        return StatementRecord(known, period_from, period_to, {})
    return StatementRecord(
        known, period_from, period_to, {narrative.section: narrative.text for narrative in statement.narratives.all()},
        statement.approved_by, statement.approved_on, statement.signed_by, statement.signed_on, statement.updated_at,
    )


def statement_to_write(viewer: Viewer, framework: str, period_from: datetime.date,
                       period_to: datetime.date) -> DisclosureStatement:
    """The viewer's statement, locked for the write, created if it does not exist yet."""
    framework_of(framework)
    check_period(period_from, period_to)
    existing = owned(DisclosureStatement, viewer).select_for_update().filter(
        framework=framework, period_from=period_from, period_to=period_to).first()
    if existing is not None:
        return existing
    statement, _ = DisclosureStatement.objects.get_or_create(
        organization=viewer.organization, framework=framework, period_from=period_from, period_to=period_to)
    return statement


def set_narrative(viewer: Viewer, framework: str, period_from: datetime.date, period_to: datetime.date,
                  section: str, text: str) -> DisclosureNarrative | None:
    """Store the company's text for one section (empty text removes it; None is returned)."""
    section_of(framework_of(framework), section)
    text = text.strip()
    if len(text) > MAX_NARRATIVE:
        raise field_error("text", f"A section holds at most {MAX_NARRATIVE:,} characters; this text has "
                          f"{len(text):,}.", "invalid")
    with transaction.atomic():
        statement = statement_to_write(viewer, framework, period_from, period_to)
        if not text:
            statement.narratives.filter(section=section).delete()
            statement.save(update_fields=["updated_at"])
            return None
        narrative, _ = DisclosureNarrative.objects.update_or_create(
            statement=statement, section=section, defaults={"text": text})
        statement.save(update_fields=["updated_at"])
        return narrative


def set_approval(viewer: Viewer, framework: str, period_from: datetime.date, period_to: datetime.date, *,
                 approved_by: str, approved_on: datetime.date | None, signed_by: str,
                 signed_on: datetime.date | None) -> DisclosureStatement:
    """Store who approved the statement and when, and the director who signed it and when (blank: not yet)."""
    approved_by, signed_by = approved_by.strip(), signed_by.strip()
    for field, value in (("approved_by", approved_by), ("signed_by", signed_by)):
        if len(value) > MAX_NAME:
            raise field_error(field, f"At most {MAX_NAME} characters; this has {len(value)}.", "invalid")
    if approved_on and not approved_by:
        raise field_error("approved_by", "Say who approved the statement on the date given.", "invalid")
    if signed_on and not signed_by:
        raise field_error("signed_by", "Name the director who signed the statement on the date given.", "invalid")
    with transaction.atomic():
        statement = statement_to_write(viewer, framework, period_from, period_to)
        statement.approved_by, statement.approved_on = approved_by, approved_on
        statement.signed_by, statement.signed_on = signed_by, signed_on
        statement.save()
        return statement
