"""The compliance team's pages (issue 19): the dashboard, the company's page, the risk register, and the site and
supplier pages.

Each view reads through the tenancy layer (`visible()`), takes its figures from the functions the API answers with
(graph/graphql/risk/resolvers.py, graph/graphql/filters.py, graph/services) and draws its charts on the server
(charts.py, world_map.py, network_picture.py), so a page is plain HTML and inline SVG that works with JavaScript
off. Other apps add sections to the pages through sections.py (audits: the cases).
"""
