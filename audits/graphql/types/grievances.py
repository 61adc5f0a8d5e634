"""Types of grievances: the reporter is resolved for the filing organization only."""

import graphene
from django.utils import timezone
from graphene_django import DjangoObjectType

from audits.graphql import dataloaders as loaders
from audits.graphql.enums import ChannelEnum, ClockStageEnum, FindingCategoryEnum, GrievanceStateEnum
from audits.graphql.suggestions import suggestions_field
from audits.graphql.types.common import CategoryResolvers, PartyType, history_field
from audits.models import ClockStage, Grievance, GrievanceOverdueAlert, Subject
from audits.services.clocks import clock_of, received_day, stage_of
from audits.services.grievances import reporter_of
from backend.graphql.list_bounds import PagedList
from backend.graphql.loaders import load
from backend.graphql.types import ScopedObjectType
from backend.tenancy import viewer_of_request
from graph.graphql.risk.enums import RiskDimension
from graph.graphql.types import SiteType


ACTION_TYPE = "audits.graphql.types.remediation.CorrectiveActionType"


class GrievanceReporterType(graphene.ObjectType):
    """Who reported a grievance and how to reach them: shown to the filing workers' organization only."""

    class Meta:
        name = "GrievanceReporter"

    name = graphene.String(description="The reporter's name (null when anonymous).")
    contact = graphene.String(description="How to reach the reporter (null when not given).")


class GrievanceOverdueAlertType(DjangoObjectType):
    """A day on which a grievance was flagged as overdue (once per case and day)."""

    class Meta:
        model = GrievanceOverdueAlert
        name = "GrievanceOverdueAlert"
        fields = ("day", "created_at")

    day = graphene.Date(required=True, description="The day it was flagged.")
    stage = graphene.Field(ClockStageEnum, required=True, description="Which deadline it had overrun.")
    created_at = graphene.DateTime(required=True, description="When the alert was raised.")


def viewer_clock(info):
    """The viewer's organization's grievance clock, read once per request."""
    request = info.context
    if not hasattr(request, "_tributary_grievance_clock"):
        request._tributary_grievance_clock = clock_of(viewer_of_request(request))
    return request._tributary_grievance_clock


class GrievanceType(CategoryResolvers, ScopedObjectType):
    """A grievance about a site. Companies it is routed to see it without the reporter (redacted)."""

    class Meta:
        model = Grievance
        name = "Grievance"
        fields = ("description", "events_on", "workers_affected", "children_involved", "received_at", "updated_at")

    category = graphene.Field(FindingCategoryEnum, required=True, description="Category of the grievance.")
    category_label = graphene.String(required=True, description="The category's name.")
    dimensions = graphene.List(
        graphene.NonNull(RiskDimension), required=True,
        description="Risk dimensions the category evidences (none for the other labour standards).",
    )
    filed_by = graphene.Field(PartyType, required=True, description="The workers' organization that filed it.")
    site = graphene.Field(SiteType, description="The site it is about; null when it is no longer visible to you.")
    channel = graphene.Field(ChannelEnum, required=True, description="How it reached the workers' organization.")
    description = graphene.String(required=True, description="What happened.")
    events_on = graphene.Date(description="When the events happened (or began).")
    workers_affected = graphene.Int(description="How many workers are affected.")
    children_involved = graphene.Boolean(required=True, description="Whether children are involved.")
    state = graphene.Field(GrievanceStateEnum, required=True, description="Where it is in its lifecycle.")
    received_at = graphene.DateTime(required=True, description="When it was filed.")
    updated_at = graphene.DateTime(required=True, description="When it last changed.")
    reporter = graphene.Field(
        GrievanceReporterType,
        description="The reporter's identity and contact: for the filing organization only; always null for others.",
    )
    corrective_actions = PagedList(
        graphene.NonNull(ACTION_TYPE), required=True,
        description="Your organization's corrective actions for it.",
    )
    acknowledge_due_on = graphene.Date(
        required=True, description="The day by which it is to be acknowledged, by your organization's clock.")
    conclude_due_on = graphene.Date(
        required=True, description="The day by which it is to be concluded, by your organization's clock.")
    is_overdue = graphene.Boolean(
        required=True, description="Still waiting to be acknowledged or concluded after that day, by your clock.")
    overdue_alerts = PagedList(
        graphene.NonNull(GrievanceOverdueAlertType), required=True, description="Days it was flagged overdue, oldest first."
    )
    history = history_field("grievance")
    suggestions = suggestions_field("grievance")

    def resolve_acknowledge_due_on(root, info):
        return viewer_clock(info).deadline(received_day(root.received_at), ClockStage.ACKNOWLEDGE)

    def resolve_conclude_due_on(root, info):
        return viewer_clock(info).deadline(received_day(root.received_at), ClockStage.CONCLUDE)

    def resolve_is_overdue(root, info):
        stage = stage_of(root.state)
        return stage is not None and viewer_clock(info).deadline(received_day(root.received_at), stage) < timezone.localdate()

    def resolve_overdue_alerts(root, info):
        return load(info, loaders.AlertsOfGrievance, root)

    def resolve_filed_by(root, info):
        return load(info, loaders.FiledByOf, root)

    def resolve_site(root, info):
        return load(info, loaders.SiteOf, root)

    def resolve_reporter(root, info):
        identity = reporter_of(viewer_of_request(info.context), root)
        return None if identity is None else GrievanceReporterType(name=identity.get("name"), contact=identity.get("contact"))

    def resolve_corrective_actions(root, info):
        return load(info, loaders.ActionsOfGrievance, root)

    def resolve_history(root, info):
        return load(info, loaders.HISTORY[Subject.GRIEVANCE], root)
