"""Domain operations of audits, findings, grievances, remediation and referrals (no GraphQL, no HTTP)."""
