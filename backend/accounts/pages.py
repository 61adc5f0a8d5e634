"""The people page of an organization's admins: members and their roles, invitations, API tokens.

Every change goes through the accounts services (backend/accounts/people.py) — the same rules as the GraphQL
mutations (last-admin lock, history, e-mailed invitations); a refused change comes back as a message naming why.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.accounts import people
from backend.errors import flatten_validation_error
from backend.models import ApiToken, Role, User
from backend.pages import page
from backend.permissions import Permission
from backend.tenancy import visible


@page(Permission.MANAGE_PEOPLE)
def people_page(request):
    """The organization's members, their roles and tokens, and the form to invite someone."""
    members = visible(User, request.viewer).order_by("-is_active", "email", "username")
    tokens = visible(ApiToken, request.viewer).active().select_related("user").order_by("-created_at")
    return render(request, "backend/people.html", {"members": members, "tokens": tokens, "roles": Role.choices})


@require_POST
@page(Permission.MANAGE_PEOPLE)
def invite_person(request):
    """Invite a person by e-mail with a role; they receive a link to choose their password."""
    email = request.POST.get("email", "")
    return after(request, lambda: people.invite(request.viewer, email, request.POST.get("role", "")),
                 _("Invitation sent to %(email)s.") % {"email": email.strip()})


@require_POST
@page(Permission.MANAGE_PEOPLE)
def change_member(request, member_id: int):
    """Change a member's role, or deactivate / reactivate them."""
    member = get_object_or_404(visible(User, request.viewer), pk=member_id)
    action = request.POST.get("action")
    if action == "deactivate":
        return after(request, lambda: people.deactivate(request.viewer, member), _("%(who)s is deactivated.") % who(member))
    if action == "reactivate":
        return after(request, lambda: people.reactivate(request.viewer, member), _("%(who)s is active again.") % who(member))
    return after(request, lambda: people.change_role(request.viewer, member, request.POST.get("role", "")),
                 _("%(who)s's role is changed.") % who(member))


@require_POST
@page(Permission.MANAGE_PEOPLE)
def revoke_token(request, token_id: int):
    """Revoke one API token of the organization; it stops working at once."""
    token = get_object_or_404(visible(ApiToken, request.viewer).active(), pk=token_id)
    return after(request, lambda: people.revoke_token(request.viewer, token),
                 _("Token %(prefix)s… is revoked.") % {"prefix": token.key_prefix})


def who(member: User) -> dict:
    return {"who": member.get_full_name() or member.email or member.username}


def after(request, change, done: str):
    """Run a change; report it done, or each reason the service refused it, then show the page again."""
    try:
        change()
    except ValidationError as error:
        for problem in flatten_validation_error(error):
            messages.error(request, problem["message"])
    else:
        messages.success(request, done)
    return redirect("people")
