"""`python manage.py demo_token`: issue a fresh token for the demo analyst and print how to use it."""

import json

from django.core.management.base import BaseCommand, CommandError

from backend.demo.loading import DEMO_PASSWORD, ORGANIZATIONS
from backend.models import ApiToken, User

EXAMPLE_QUERY = """{
  me { username organization { name } }
  companyRisk { childLabour forcedLabour band }
  sites(first: 5, inNetwork: true, sortBy: {field: FORCED_LABOUR_RISK, direction: DESC}) {
    totalCount
    edges { node { id name kind country subdivision tier supplier { name } commodities { code }
      risk { childLabour forcedLabour band }
      linksOut { share commodity { code } downstream { name } toCompany } } }
  }
}"""


class Command(BaseCommand):
    help = "Issue a new API token for the demo user and print it with an example query (earlier demo tokens are revoked)."

    def add_arguments(self, parser):
        parser.add_argument("--user", default="northwind-analyst")
        parser.add_argument("--url", default="http://127.0.0.1:8000/graphql/")
        parser.add_argument("--pages", default="http://127.0.0.1:8000/")

    def handle(self, user, url, pages, **options):
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"No user '{user}': run `python manage.py seed_demo` first.")
        for old in ApiToken.objects.active().filter(user=account, name="demo"):
            old.revoke()
        _, raw = ApiToken.issue(account, "demo")
        body = json.dumps({"query": EXAMPLE_QUERY})
        sign_ins = "\n".join(
            f"    {key + '-analyst':<22}{name} ({kind.label.split(' (')[0].lower()})"
            for key, (name, kind, _) in ORGANIZATIONS.items()
        )
        self.stdout.write(f"""
Tributary is starting. Open {pages} in a browser and sign in with one of these
(password for all: {DEMO_PASSWORD}; each organization also has <key>-admin and <key>-viewer):

{sign_ins}

The GraphQL API is at {url} (GraphiQL in a browser).

Bearer token for {user} ({account.organization.name}):

    {raw}

In GraphiQL, open "Headers" and paste:  {{"Authorization": "Bearer {raw}"}}
then run this example query (your five riskiest sites for forced labour; then try
riskExplanation(nodeId: "<an id>", dimension: FORCED_LABOUR) to see the paths behind a score):

{EXAMPLE_QUERY}

Or with curl:

curl -s {url} -H 'Content-Type: application/json' -H 'Authorization: Bearer {raw}' \\
  -d '{body}'
""")
