"""The demo, in one place: what `python manage.py seed_demo` (and `make demo`) loads.

- network.py: the deterministic generator of two companies' cotton and cocoa chains, which share sites;
- files.py: those networks written as the supply-map spreadsheets a company uploads, committed in data/
  (`northwind_supply_map.xlsx`, cotton; `harbor_supply_map.csv`, cotton garments and cocoa; one row per link,
  an empty buyer meaning the company itself), rewritten by `seed_demo --write-files`;
- loading.py: the organizations and their users, then each company's supply map through the import pipeline;
- evidence.py: the audit, finding, grievance and corrective action that make the scores move.

The demo is a client of the apps: it calls their services as a user would, and no app imports it.
"""
