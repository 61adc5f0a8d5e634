"""System check: grievance reporters cannot be stored without a valid encryption key."""

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def grievance_key_configured(app_configs, **kwargs):
    from audits.crypto import cipher

    try:
        cipher()
    except ImproperlyConfigured as error:
        return [Error(str(error), hint="Set GRIEVANCE_ENCRYPTION_KEY in the environment.", id="audits.E001")]
    return []
