"""Tenancy probes of the disclosure statements' root fields (collected by tests/graph/test_tenancy.py, run by
test_disclosure_api.py against company A's UK MSA statement of 2026, whose text carries SECRET).

QUERY_PROBES: field → query. MUTATION_PROBES: field → (mutation, what company B gets): its own statement, never A's.
"""

STATEMENT = "framework: UK_MSA, periodFrom: \"2026-01-01\", periodTo: \"2026-12-31\""
STATEMENT_FIELDS = "framework approvedBy signedBy sections { code narrative }"

QUERY_PROBES = {
    "disclosureStatement": "{ disclosureStatement(" + STATEMENT + ") { " + STATEMENT_FIELDS + " } }",
}

MUTATION_PROBES = {
    "disclosureNarrativeSet": ("mutation { disclosureNarrativeSet(" + STATEMENT + ", section: \"a_structure\", "
                               "text: \"B's own text\") { statement { " + STATEMENT_FIELDS + " } errors { field code } } }",
                               "OWN_STATEMENT"),
    "disclosureApprovalSet": ("mutation { disclosureApprovalSet(" + STATEMENT + ", approvedBy: \"B's board\") "
                              "{ statement { " + STATEMENT_FIELDS + " } errors { field code } } }", "OWN_STATEMENT"),
}
