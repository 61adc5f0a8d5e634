"""Read-only admin pages of import jobs and their problems (backend/admin.py says why); the upload is not shown."""

from django.contrib import admin

from backend.admin import ReadOnlyAdmin
from imports.models import ImportJob, ImportProblem


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ("id", "organization", "kind", "original_name", "status", "phase", "created_at")
    list_filter = ("kind", "status")
    exclude = ("file",)


@admin.register(ImportProblem)
class ImportProblemAdmin(ReadOnlyAdmin):
    list_display = ("id", "job", "sheet", "row", "column", "code", "severity")
    list_filter = ("code", "severity")
