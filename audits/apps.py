from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Audits, grievances and remediation"

    def ready(self):
        from django.db.models.signals import post_save

        from audits import checks  # noqa: F401  (registers the key check)
        from audits.services.alerts import raise_evidence_alerts
        from audits.services.evidence import site_evidence
        from audits.services.grievances import route_to_joined_sites, route_to_new_network_entry
        from audits.services.intake import rematch_after_join
        from audits.views.board import dashboard_cases, site_cases
        from graph.models import NetworkSite
        from graph.services.evidence_feed import register_evidence_provider
        from graph.signals import network_sites_joined, risk_recomputed
        from graph.views.sections import register_sections

        register_evidence_provider(site_evidence)
        register_sections("dashboard", dashboard_cases)
        register_sections("site", site_cases)
        post_save.connect(route_to_new_network_entry, sender=NetworkSite, dispatch_uid="audits_route_grievances")
        network_sites_joined.connect(route_to_joined_sites, dispatch_uid="audits_route_joined_sites")
        network_sites_joined.connect(rematch_after_join, dispatch_uid="audits_rematch_grievance_filings")
        risk_recomputed.connect(raise_evidence_alerts, dispatch_uid="audits_evidence_alerts")
