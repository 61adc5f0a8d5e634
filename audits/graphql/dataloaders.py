"""Per-request loaders of the audits app's relations: one query per relation per page, all through visible()."""

from backend.graphql.list_bounds import MAX_PAGE_SIZE
from backend.graphql.loaders import Loader, first_of_each, group_by
from backend.tenancy import visible
from audits.models import (
    Audit,
    CorrectiveAction,
    EvidenceFile,
    Finding,
    Grievance,
    GrievanceOverdueAlert,
    OverdueAlert,
    Party,
    Share,
    StateChange,
    Subject,
)
from audits.models.history import subject_models
from graph.models import Site


class ByForeignKey(Loader):
    """Loads the object a foreign key points to; subclasses name the attribute and the model."""

    attribute = ""
    model = None

    def key_of(self, obj):
        return getattr(obj, self.attribute)

    def batch_load(self, keys):
        return visible(self.model, self.viewer).in_bulk(keys)


class ManyByForeignKey(Loader):
    """Loads the rows whose foreign key `attribute` points to each key: the first MAX_PAGE_SIZE of each, in `order`."""

    attribute = ""
    model = None
    order = ("pk",)

    def default(self):
        return []

    def queryset(self):
        return visible(self.model, self.viewer)

    def batch_load(self, keys):
        rows = self.queryset().filter(**{f"{self.attribute}__in": keys})
        return group_by(first_of_each(rows, self.attribute, self.order, MAX_PAGE_SIZE), self.attribute)


class SiteOf(ByForeignKey):
    attribute, model = "site_id", Site


class AuditFirmOf(ByForeignKey):
    attribute, model = "audit_firm_id", Party


class CompanyOf(ByForeignKey):
    attribute, model = "company_id", Party


class FiledByOf(ByForeignKey):
    attribute, model = "filed_by_id", Party


class OrganizationOf(ByForeignKey):
    attribute, model = "organization_id", Party


class AuditOf(ByForeignKey):
    attribute, model = "audit_id", Audit


class FindingOf(ByForeignKey):
    attribute, model = "finding_id", Finding


class GrievanceOf(ByForeignKey):
    attribute, model = "grievance_id", Grievance


class VerificationAuditOf(ByForeignKey):
    attribute, model = "verification_audit_id", Audit


class OwnerOf(Loader):
    """The owner of a corrective action (resolvers ask only for actions of the viewer's organization)."""

    def key_of(self, action):
        return action.owner_id

    def batch_load(self, keys):
        return self.viewer.organization.users.in_bulk(keys)


class FindingsOfAudit(ManyByForeignKey):
    attribute, model, order = "audit_id", Finding, ("-found_on", "pk")


class SharesOfAudit(ManyByForeignKey):
    attribute, model, order = "audit_id", Share, ("granted_at", "pk")


class SharesOfFinding(ManyByForeignKey):
    attribute, model, order = "finding_id", Share, ("granted_at", "pk")


class ActionsOfFinding(ManyByForeignKey):
    attribute, model, order = "finding_id", CorrectiveAction, ("due_on", "pk")


class ActionsOfGrievance(ManyByForeignKey):
    attribute, model, order = "grievance_id", CorrectiveAction, ("due_on", "pk")


class EvidenceOfFinding(ManyByForeignKey):
    attribute, model, order = "finding_id", EvidenceFile, ("uploaded_at", "pk")


class EvidenceOfAction(ManyByForeignKey):
    attribute, model, order = "action_id", EvidenceFile, ("uploaded_at", "pk")


class AlertsOfAction(ManyByForeignKey):
    """Overdue alerts of actions already visible to the viewer (an alert has no tenant of its own)."""

    attribute, model, order = "action_id", OverdueAlert, ("day", "pk")

    def queryset(self):
        return OverdueAlert.objects.filter(action__in=visible(CorrectiveAction, self.viewer))


class AlertsOfGrievance(ManyByForeignKey):
    """Overdue alerts of grievances already visible to the viewer (an alert has no tenant of its own)."""

    attribute, model, order = "grievance_id", GrievanceOverdueAlert, ("day", "pk")

    def queryset(self):
        return GrievanceOverdueAlert.objects.filter(grievance__in=visible(Grievance, self.viewer))


class History(ManyByForeignKey):
    """The state changes of one kind of subject, oldest first."""

    attribute, model, order = "object_id", StateChange, ("at", "pk")
    subject = ""

    def queryset(self):
        subjects = visible(subject_models()[self.subject], self.viewer).values("pk")
        rows = StateChange.objects.filter(subject=self.subject, object_id__in=subjects)
        return rows.select_related("actor", "actor_organization")


def history_loader(subject: str) -> type[History]:
    return type(f"HistoryOf{subject.title()}", (History,), {"subject": subject})


HISTORY = {subject: history_loader(subject) for subject in Subject.values}
