"""Tenancy probe of dataExportGenerate (collected by tests/graph/test_tenancy.py, run by test_data_export_jobs.py):
the mutation takes no ID, so another company's probe is that it gets an export of its own data, never A's."""

QUERY_PROBES = {}

MUTATION_PROBES = {
    "dataExportGenerate": ("mutation { dataExportGenerate(dataset: RISK_REGISTER, format: CSV) "
                           "{ job { id downloadUrl } errors { field code } } }", "OWN_DATA"),
}
