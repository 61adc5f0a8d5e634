"""Tenancy probes of the audits app's root fields (collected by tests/graph/test_tenancy.py, which checks that
every root field of the schema has a probe, and run by test_audits_tenancy.py against the audits world).

QUERY_PROBES: field → query. MUTATION_PROBES: field → (mutation, kind of outsider that holds the permission,
error code an outsider gets). Variables are the world's IDs ($mill, $audit, …).
"""

GRIEVANCE_FIELDS = "id description state reporter { name contact } history { toState actor actorOrganization } " \
    "correctiveActions { title } filedBy { name } site { name }"
FINDING_FIELDS = "id description category severity status audit { leadAuditor } correctiveActions { title } " \
    "shares { company { name } } history { toState }"

QUERY_PROBES = {
    "findingCategories": "{ findingCategories { code label dimensions } }",
    "suggestIndicators": "{ suggestIndicators(text: \"The boss keeps our passports.\") { available suggestions { category evidence { text } } } }",
    "auditFirms": "{ auditFirms(first: 100) { totalCount edges { node { id name kind } } } }",
    "auditAssignments": "{ auditAssignments(first: 100) { totalCount edges { node { id company { name } auditFirm { name } site { name } history { toState actor } } } } }",
    "audits": "{ audits(first: 100) { totalCount edges { node { id leadAuditor reportReference findings { description } shares { company { name } } } } } }",
    "findings": "{ findings(first: 100) { totalCount edges { node { " + FINDING_FIELDS + " } } } }",
    "grievances": "{ grievances(first: 100) { totalCount edges { node { " + GRIEVANCE_FIELDS + " } } } }",
    "correctiveActions": "{ correctiveActions(first: 100) { totalCount edges { node { id title owner grievance { description } finding { description } history { toState actor } } } } }",
    "referrals": "{ referrals(first: 100) { totalCount edges { node { id serviceName grievance { description } } } } }",
    "referralTimes": "{ referralTimes(groupBy: COMPANY) { key label referrals medianDays } }",
    "auditAssignment": "query($assignment: ID!) { auditAssignment(id: $assignment) { id company { name } site { name } } }",
    "audit": "query($audit: ID!) { audit(id: $audit) { id leadAuditor findings { description } } }",
    "finding": "query($desk: ID!) { finding(id: $desk) { " + FINDING_FIELDS + " } }",
    "grievance": "query($grievance: ID!) { grievance(id: $grievance) { " + GRIEVANCE_FIELDS + " } }",
    "correctiveAction": "query($action: ID!) { correctiveAction(id: $action) { id title owner } }",
    "referral": "query($referral: ID!) { referral(id: $referral) { id serviceName } }",
    "grievanceClock": "{ grievanceClock { acknowledgeDays concludeDays isDefault } }",
    "remediationDeadlines": "{ remediationDeadlines { criticalDays majorDays } }",
    "grievanceKpis": "{ grievanceKpis(groupBy: COUNTRY) { key label received referrals daysToReferral { count } } }",
    "outcomeAnalytics": "{ outcomeAnalytics(groupBy: COUNTRY) { key label actions recurrence { recurred observed } } }",
    "outcomeBeforeAfter": "{ outcomeBeforeAfter(splitAt: \"2026-03-01\") { key before { actions } after { actions } } }",
    "grievanceKpisBeforeAfter": "{ grievanceKpisBeforeAfter(splitAt: \"2026-03-01\") { key before { received } after { received } } }",
}

COMPANY, FIRM, WORKERS = "company", "audit_firm", "workers_org"

MUTATION_PROBES = {
    "auditAssignmentCreate": ("mutation($mill: ID!, $org_f: ID!) { auditAssignmentCreate(siteId: $mill, auditFirmId: $org_f) { assignment { id } errors { field code } } }", COMPANY, "NOT_IN_NETWORK"),
    "auditAssignmentRevoke": ("mutation($assignment: ID!) { auditAssignmentRevoke(id: $assignment) { errors { field code } } }", COMPANY, "NOT_FOUND"),
    "auditCreate": ("mutation($mill: ID!) { auditCreate(siteId: $mill, input: {standard: SA8000, auditType: ANNOUNCED, startDate: \"2026-01-01\"}) { audit { id } errors { field code } } }", FIRM, "NOT_ASSIGNED"),
    "auditUpdate": ("mutation($audit: ID!) { auditUpdate(id: $audit, input: {leadAuditor: \"Hijacked\"}) { errors { field code } } }", FIRM, "NOT_FOUND"),
    "auditShare": ("mutation($audit: ID!, $org_b: ID!) { auditShare(auditId: $audit, companyId: $org_b) { errors { field code } } }", FIRM, "NOT_FOUND"),
    "auditShareRevoke": ("mutation($audit: ID!, $org_a: ID!) { auditShareRevoke(auditId: $audit, companyId: $org_a) { errors { field code } } }", FIRM, "NOT_FOUND"),
    "findingCreate": ("mutation($audit: ID!) { findingCreate(auditId: $audit, input: {category: DECEPTION, severity: MINOR, description: \"x\"}) { errors { field code } } }", FIRM, "NOT_FOUND"),
    "findingUpdate": ("mutation($finding: ID!) { findingUpdate(id: $finding, input: {description: \"Hijacked\"}) { errors { field code } } }", FIRM, "NOT_FOUND"),
    "findingClose": ("mutation($finding: ID!) { findingClose(id: $finding) { errors { field code } } }", FIRM, "NOT_FOUND"),
    "findingShare": ("mutation($desk: ID!, $org_a: ID!) { findingShare(findingId: $desk, companyId: $org_a) { errors { field code } } }", FIRM, "NOT_FOUND"),
    "findingShareRevoke": ("mutation($desk: ID!, $org_a: ID!) { findingShareRevoke(findingId: $desk, companyId: $org_a) { errors { field code } } }", FIRM, "NOT_FOUND"),
    "grievanceFile": ("mutation($farm: ID!) { grievanceFile(siteId: $farm, input: {channel: HOTLINE, category: DECEPTION, description: \"x\"}) { errors { field code } } }", WORKERS, "NOT_FOUND"),
    "grievanceAcknowledge": ("mutation($grievance: ID!) { grievanceAcknowledge(id: $grievance) { errors { field code } } }", COMPANY, "NOT_FOUND"),
    "grievanceInvestigate": ("mutation($grievance: ID!) { grievanceInvestigate(id: $grievance) { errors { field code } } }", COMPANY, "NOT_FOUND"),
    "grievanceConclude": ("mutation($grievance: ID!) { grievanceConclude(id: $grievance, substantiated: false) { errors { field code } } }", COMPANY, "NOT_FOUND"),
    "grievanceRemediate": ("mutation($grievance: ID!) { grievanceRemediate(id: $grievance) { errors { field code } } }", COMPANY, "NOT_FOUND"),
    "grievanceClose": ("mutation($grievance: ID!) { grievanceClose(id: $grievance) { errors { field code } } }", WORKERS, "NOT_FOUND"),
    "correctiveActionCreate": ("mutation($grievance: ID!) { correctiveActionCreate(input: {grievanceId: $grievance, title: \"x\", dueOn: \"2026-09-01\"}) { errors { field code } } }", COMPANY, "NOT_FOUND"),
    "correctiveActionStart": ("mutation($action: ID!) { correctiveActionStart(id: $action) { errors { field code } } }", COMPANY, "NOT_FOUND"),
    "correctiveActionComplete": ("mutation($action: ID!) { correctiveActionComplete(id: $action, note: \"done\") { errors { field code } } }", COMPANY, "NOT_FOUND"),
    "correctiveActionVerify": ("mutation($finding_action: ID!) { correctiveActionVerify(id: $finding_action) { errors { field code } } }", FIRM, "NOT_FOUND"),
    "correctiveActionReject": ("mutation($finding_action: ID!) { correctiveActionReject(id: $finding_action, note: \"no\") { errors { field code } } }", FIRM, "NOT_FOUND"),
    "referralCreate": ("mutation($farm: ID!) { referralCreate(siteId: $farm, input: {service: POLICE, serviceName: \"x\", identifiedAt: \"2026-01-01T00:00:00Z\"}) { errors { field code } } }", COMPANY, "NOT_FOUND"),
    "evidenceFileAdd": ("mutation($action: ID!) { evidenceFileAdd(correctiveActionId: $action, fileName: \"a.pdf\", contentBase64: \"JVBERi0xLjQ=\") { errors { field code } } }", COMPANY, "NOT_FOUND"),
    "grievanceClockSet": ("mutation { grievanceClockSet(input: {acknowledgeDays: 0}) { errors { field code } } }", COMPANY, "OUT_OF_RANGE"),
    "remediationDeadlinesSet": ("mutation { remediationDeadlinesSet(input: {criticalDays: 0}) { errors { field code } } }", COMPANY, "OUT_OF_RANGE"),
    "referralUpdate": ("mutation($referral: ID!) { referralUpdate(id: $referral, input: {outcomeNote: \"Hijacked\"}) { errors { field code } } }", COMPANY, "NOT_FOUND"),
}
