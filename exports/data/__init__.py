"""Data exports (issue 17): a company's records as files to work with elsewhere.

Tabular datasets (the risk register, findings, corrective actions, grievances as the company sees them, referrals)
are written as XLSX or CSV (tables.py), the network as GraphML or JSON node-link (network_graph.py). Each dataset
is read as its viewer sees it, through the tenancy chokepoint, in a fixed number of queries (datasets.py names
them all); a file is written a row at a time (openpyxl's write-only mode, csv.writer), and every text cell goes
through backend/xlsx.py, which neutralises formula-looking text. Exports run as report jobs of kind DATA_EXPORT
(jobs.py), like the reports.
"""
