"""Tenancy probes of the reports root fields (collected by tests/graph/test_tenancy.py, which checks that every
root field has one, and run by test_report_jobs.py against company A's report job).

QUERY_PROBES: field → query. MUTATION_PROBES: field → (mutation, error code company B gets). Variables are A's
IDs ($job, $site).
"""

JOB_FIELDS = "id kind status progress scope scopeId periodFrom periodTo size error downloadUrl createdAt"

QUERY_PROBES = {
    "reportJobs": "{ reportJobs(first: 10) { totalCount edges { node { " + JOB_FIELDS + " } } } }",
    "reportJob": "query($job: ID!) { reportJob(id: $job) { " + JOB_FIELDS + " } }",
}

MUTATION_PROBES = {
    "reportGenerate": ("mutation($site: ID!) { reportGenerate(kind: REMEDIATION, scope: SITE, scopeId: $site) "
                       "{ job { id } errors { field code } } }", "NOT_FOUND"),
}
