"""Read-only admin pages (backend/admin.py says why) that never show a grievance reporter or an evidence file."""

from django.contrib import admin

from audits.models import (
    Assignment, Audit, CorrectiveAction, EvidenceFile, Finding, Grievance, GrievanceRouting, Referral, Share,
    StateChange,
)
from backend.admin import ReadOnlyAdmin


@admin.register(Audit)
class AuditAdmin(ReadOnlyAdmin):
    list_display = ("id", "audit_firm", "site", "standard", "audit_type", "start_date", "end_date")
    list_filter = ("standard", "audit_type")


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("id", "audit_firm", "site", "category", "severity", "status", "found_on")
    list_filter = ("severity", "status", "category")


@admin.register(EvidenceFile)
class EvidenceFileAdmin(ReadOnlyAdmin):
    list_display = ("id", "finding", "action", "content_type", "size", "uploaded_at")
    exclude = ("file",)


@admin.register(Grievance)
class GrievanceAdmin(ReadOnlyAdmin):
    list_display = ("id", "filed_by", "site", "category", "state", "received_at")
    list_filter = ("state", "category", "channel")
    exclude = ("reporter_ciphertext",)


@admin.register(GrievanceRouting)
class GrievanceRoutingAdmin(ReadOnlyAdmin):
    list_display = ("id", "grievance", "company", "routed_at", "at_filing")


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(ReadOnlyAdmin):
    list_display = ("id", "organization", "title", "status", "due_on")
    list_filter = ("status",)


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ("id", "organization", "site", "service", "identified_at", "referred_at")


@admin.register(StateChange)
class StateChangeAdmin(ReadOnlyAdmin):
    list_display = ("id", "subject", "object_id", "from_state", "to_state", "actor", "at")
    list_filter = ("subject",)


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("id", "company", "audit_firm", "site", "created_at", "revoked_at")


@admin.register(Share)
class ShareAdmin(ReadOnlyAdmin):
    list_display = ("id", "audit_firm", "company", "audit", "finding", "granted_at", "revoked_at")
