"""riskAlertAcknowledge, regionWatchSet, inherentRiskOverrideSet, riskRecompute."""

import graphene
from django.utils import timezone

from backend.errors import field_error
from backend.graphql.ids import get_visible
from backend.tenancy import visible
from graph.graphql.mutations.common import NetworkMutation, visible_site
from graph.graphql.risk.enums import RiskDimension
from graph.graphql.risk.types import RegionWatchType, RiskAlertType
from graph.models import InherentOverride, NetworkSite, RiskAlert
from graph.services.region_watch import set_region_watch
from graph.services.risk_jobs import schedule_recompute


class RiskAlertAcknowledge(NetworkMutation):
    """Mark a risk alert as seen and handled."""

    alert = graphene.Field(RiskAlertType, description="The acknowledged alert.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the alert.")

    @classmethod
    def perform(cls, info, viewer, id):
        alert = get_visible(RiskAlert, viewer, id, "RiskAlert", "id")
        if alert.acknowledged_at is None:
            alert.acknowledged_at, alert.acknowledged_by = timezone.now(), viewer.user
            alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
        return cls(alert=alert, errors=[])


class RegionWatchSet(NetworkMutation):
    """Replace your region watch: new evidence at sites of your network in these countries or subdivisions and of
    these commodities alerts you (REGION_EVIDENCE). Empty lists watch nothing. Evidence recorded from now on is new."""

    watch = graphene.Field(RegionWatchType, description="Your watch as stored.")

    class Arguments:
        countries = graphene.List(graphene.NonNull(graphene.String), description="ISO 3166-1 alpha-2 codes (at most 300).")
        subdivisions = graphene.List(graphene.NonNull(graphene.String), description="ISO 3166-2 codes, e.g. IN-TN (at most 300).")
        commodities = graphene.List(graphene.NonNull(graphene.String), description="Commodity codes (at most 300).")

    @classmethod
    def perform(cls, info, viewer, countries=None, subdivisions=None, commodities=None):
        return cls(watch=set_region_watch(viewer, countries, subdivisions, commodities), errors=[])


class InherentRiskOverrideSet(NetworkMutation):
    """Replace the computed inherent risk of a site of your network, for your company only; logged with who,
    when and why. A null value revokes your override."""

    site_id = graphene.ID(description="The site.")

    class Arguments:
        site_id = graphene.ID(required=True, description="ID of a site of your network.")
        dimension = RiskDimension(required=True, description="Which dimension to override.")
        value = graphene.Float(description="The inherent risk to use, 0–1; null revokes the current override.")
        reason = graphene.String(required=True, description="Why (kept in the log; at least 10 characters).")

    @classmethod
    def perform(cls, info, viewer, site_id, dimension, reason, value=None):
        site = visible_site(viewer, site_id, "site_id")
        if not visible(NetworkSite, viewer).filter(site=site).exists():
            raise field_error("site_id", "Only sites of your network can carry your overrides.", "not_found")
        if len(reason.strip()) < 10:
            raise field_error("reason", "Give a reason of at least 10 characters: it is kept in the log.", "required")
        if value is not None and not 0 <= value <= 1:
            raise field_error("value", f"value must be between 0 and 1, got {value}.", "out_of_range")
        current = visible(InherentOverride, viewer).filter(site=site, dimension=dimension, revoked_at__isnull=True)
        current.update(revoked_at=timezone.now())
        if value is not None:
            InherentOverride.objects.create(company=viewer.organization, site=site, dimension=dimension, value=value,
                                            reason=reason.strip(), created_by=viewer.user)
        schedule_recompute(site_ids=[site.pk])
        return cls(site_id=site_id, errors=[])


class RiskRecompute(NetworkMutation):
    """Queue a full recomputation of your company's risk (it also runs by itself after every change)."""

    queued = graphene.Boolean(description="True when the computation was queued.")

    @classmethod
    def perform(cls, info, viewer):
        schedule_recompute(company_ids=[viewer.organization.pk])
        return cls(queued=True, errors=[])
