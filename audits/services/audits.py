"""Audits and findings: created by audit firms for the sites they are assigned to."""

from audits.models import Audit, AuditStandard, AuditType, Finding, FindingStatus, Severity, Subject
from audits.services import common
from audits.services.finding_rules import (
    AUDIT_FIELDS, AUDIT_REQUIRED, FINDING_FIELDS, FINDING_REQUIRED, FINDING_TRANSITIONS, MAX_LENGTHS, NOT_ASSIGNED,
    assigned_site_ids, can_edit, can_move, default_found_on, ends_before_start, pending_action_counts,
)
from audits.services.history import change_state, illegal, record
from audits.services.risk import schedule_risk_recompute
from audits.taxonomy import Category
from backend.errors import field_error
from backend.tenancy import Viewer


def ensure_assigned(viewer: Viewer, site, field: str = "site_id") -> None:
    if not assigned_site_ids(viewer.organization, [site.pk]):
        raise field_error(field, NOT_ASSIGNED, "not_assigned")


def clean_audit(data: dict, current: Audit | None = None) -> dict:
    cleaned = dict(data)
    if "standard" in data:
        cleaned["standard"] = common.choice(data["standard"], "standard", AuditStandard)
    if "audit_type" in data:
        cleaned["audit_type"] = common.choice(data["audit_type"], "audit_type", AuditType)
    if "lead_auditor" in data:
        cleaned["lead_auditor"] = common.text(
            data["lead_auditor"], "lead_auditor", MAX_LENGTHS["lead_auditor"], required=False)
    if "report_reference" in data:
        cleaned["report_reference"] = common.text(
            data["report_reference"], "report_reference", MAX_LENGTHS["report_reference"], required=False)
    if "start_date" in data and data["start_date"] is None:
        raise field_error("start_date", "start_date is required.", "required")
    start = cleaned.get("start_date", current.start_date if current else None)
    end = cleaned.get("end_date", current.end_date if current else None)
    if ends_before_start(start, end):
        raise field_error("end_date", "end_date may not be before start_date.", "out_of_range")
    return cleaned


def create_audit(viewer: Viewer, site, data: dict) -> Audit:
    """Record an audit of a site the viewer's firm is assigned to."""
    common.require(data, *AUDIT_REQUIRED)
    ensure_assigned(viewer, site)
    audit = Audit.objects.create(audit_firm=viewer.organization, site=site, created_by=viewer.user, **clean_audit(data))
    record(Subject.AUDIT, audit, "", "recorded", viewer)
    return audit


def update_audit(viewer: Viewer, audit: Audit, data: dict) -> Audit:
    ensure_own(viewer, audit)
    for key, value in clean_audit(data, current=audit).items():
        if key in AUDIT_FIELDS:
            setattr(audit, key, value)
    audit.save()
    schedule_risk_recompute([audit.site_id])  # a finding's date can follow its audit's
    return audit


def ensure_own(viewer: Viewer, obj) -> None:
    """Only the audit firm that owns an audit or a finding may change it (a company it is shared with may not)."""
    if obj.audit_firm_id != viewer.organization.pk:
        raise field_error("id", "Only the audit firm that owns it can change it.", "not_editable")


def clean_finding(data: dict) -> dict:
    cleaned = dict(data)
    if "category" in data:
        cleaned["category"] = common.choice(data["category"], "category", Category)
    if "severity" in data:
        cleaned["severity"] = common.choice(data["severity"], "severity", Severity)
    if "description" in data:
        cleaned["description"] = common.text(data["description"], "description", MAX_LENGTHS["description"])
    if "found_on" in data:
        if data["found_on"] is None:
            raise field_error("found_on", "found_on is required.", "required")
        common.not_in_future(data["found_on"], "found_on")
    return cleaned


def create_finding(viewer: Viewer, data: dict, audit: Audit | None = None, site=None) -> Finding:
    """A finding of an audit (its site is the audit's) or a stand-alone desk-review finding about a site."""
    common.require(data, *FINDING_REQUIRED)
    if audit is not None:
        ensure_own(viewer, audit)
        site = audit.site
        ensure_assigned(viewer, site, "audit_id")
    elif site is None:
        raise field_error("audit_id", "Give either auditId or siteId.", "required")
    else:
        ensure_assigned(viewer, site)
    cleaned = clean_finding(data)
    if "found_on" not in cleaned:
        if audit is None:
            raise field_error("found_on", "found_on is required for a finding outside an audit.", "required")
        cleaned["found_on"] = default_found_on(audit.start_date, audit.end_date)
    finding = Finding.objects.create(
        audit_firm=viewer.organization, audit=audit, site=site, created_by=viewer.user, **cleaned
    )
    record(Subject.FINDING, finding, "", FindingStatus.OPEN, viewer)
    schedule_risk_recompute([site.pk])
    return finding


def update_finding(viewer: Viewer, finding: Finding, data: dict) -> Finding:
    """Correct an open finding's category, severity, description or date."""
    ensure_own(viewer, finding)
    if not can_edit(finding.status):
        raise field_error(None, "A closed finding cannot be changed.", "not_editable")
    for key, value in clean_finding(data).items():
        if key in FINDING_FIELDS:
            setattr(finding, key, value)
    finding.save()
    schedule_risk_recompute([finding.site_id])
    return finding


def close_finding(viewer: Viewer, finding: Finding) -> Finding:
    """Close a finding; refused while any of its corrective actions is still open, in progress or unverified."""
    ensure_own(viewer, finding)
    if not can_move(finding.status, FindingStatus.CLOSED):
        raise illegal(Subject.FINDING, finding.status, FindingStatus.CLOSED)
    pending = pending_action_counts([finding.pk]).get(finding.pk, 0)
    if pending:
        raise field_error(None, f"{pending} corrective action(s) are not verified yet.", "actions_pending")
    change_state(finding, "status", FindingStatus.CLOSED, FINDING_TRANSITIONS, Subject.FINDING, viewer)
    schedule_risk_recompute([finding.site_id])
    return finding
