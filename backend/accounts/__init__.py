"""Organizations and their people without a shell: creating an organization, inviting, roles, deactivation and
tokens (people.py), the single-use invitation links (invitations.py), the history of every change (history.py)
and the invitation page (views.py). Services here raise Django ValidationErrors and never import GraphQL."""
