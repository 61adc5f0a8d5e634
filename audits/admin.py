"""Admin pages: read-mostly lists that never show a grievance reporter (the ciphertext column is excluded)."""

from django.contrib import admin

from audits.models import Assignment, Audit, CorrectiveAction, Finding, Grievance, Referral


@admin.register(Audit)
class AuditAdmin(admin.ModelAdmin):
    list_display = ("id", "audit_firm", "site", "standard", "audit_type", "start_date", "end_date")
    list_filter = ("standard", "audit_type")


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("id", "audit_firm", "site", "category", "severity", "status", "found_on")
    list_filter = ("severity", "status", "category")


@admin.register(Grievance)
class GrievanceAdmin(admin.ModelAdmin):
    list_display = ("id", "filed_by", "site", "category", "state", "received_at")
    list_filter = ("state", "category", "channel")
    exclude = ("reporter_ciphertext",)
    search_fields = ()


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(admin.ModelAdmin):
    list_display = ("id", "organization", "title", "status", "due_on")
    list_filter = ("status",)


admin.site.register(Assignment, list_display=("id", "company", "audit_firm", "site", "created_at", "revoked_at"))
admin.site.register(Referral, list_display=("id", "organization", "site", "service", "identified_at", "referred_at"))
