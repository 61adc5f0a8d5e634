"""Tenancy probes of the imports root fields (collected by tests/graph/test_tenancy.py, which checks that every
root field has one, and run by test_import_tenancy.py against company A's import jobs).

QUERY_PROBES: field → query. MUTATION_PROBES: field → (mutation, error code company B gets, or None when the
mutation succeeds on B's own data). Variables are A's IDs ($job, $review_job, $site); `$file` is sent as a
GraphQL multipart upload.
"""

JOB_FIELDS = "id filename sha256 status created rejected errorReportUrl entityCounts { entity created } " \
    "problems(first: 100) { totalCount edges { node { row column value message } } } " \
    "resolutionCandidates(first: 100) { totalCount edges { node { siteRef name site { name } } } } sameFileAs { id }"

QUERY_PROBES = {
    "importJobs": "{ importJobs(first: 10) { totalCount edges { node { " + JOB_FIELDS.replace("100", "10") + " } } } }",
    "importJob": "query($job: ID!) { importJob(id: $job) { " + JOB_FIELDS + " } }",
    "importKinds": "{ importKinds { kind label allowed templateUrl columns { key } } }",
}

MUTATION_PROBES = {
    "importFileUpload": ("mutation($file: Upload!) { importFileUpload(kind: SUPPLY_MAP, file: $file, commit: true) { job { id filename } errors { code } } }", None),
    "importJobCommit": ("mutation($job: ID!) { importJobCommit(id: $job) { job { id } errors { field code } } }", "NOT_FOUND"),
    "importSiteMatchDecide": ("mutation($review_job: ID!, $site: ID!) { importSiteMatchDecide(jobId: $review_job, siteRef: \"R-1\", siteId: $site) { job { id } errors { field code } } }", "NOT_FOUND"),
    "importSiteMatchDecideAll": ("mutation($review_job: ID!) { importSiteMatchDecideAll(jobId: $review_job, minScore: 0) { job { id } decided errors { field code } } }", "NOT_FOUND"),
}
