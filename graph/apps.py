from django.apps import AppConfig


class GraphConfig(AppConfig):
    name = "graph"
    verbose_name = "Supply network"

    def ready(self):
        from graph.services.region_watch import raise_region_band_alerts
        from graph.signals import risk_recomputed

        risk_recomputed.connect(raise_region_band_alerts, dispatch_uid="graph_region_band_alerts")
