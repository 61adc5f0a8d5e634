"""The invitation page: GET shows a form to choose a name and password, POST accepts the invitation.

A link that is not valid, used or expired gets a page that says so (404, 410), never the form. The form is
CSRF-protected like every form of the site; the rules (password validators, single use) are the service's."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from backend.accounts import invitations
from backend.errors import flatten_validation_error

CLOSED_STATUS = {"NOT_FOUND": 404, "USED": 410, "EXPIRED": 410}
PAGE = {"site_header": "Tributary", "site_title": "Tributary"}


class AcceptInvitationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


@never_cache
@sensitive_post_parameters("password", "password_again")
def accept_invitation(request, token: str):
    try:
        invitation = invitations.find_open(token)
    except ValidationError as error:
        return closed(request, error)
    form = AcceptInvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept(token, form.cleaned_data["password"], form.cleaned_data["name"])
        except ValidationError as error:
            if "token" in error.error_dict:
                return closed(request, error)
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return render(request, "backend/invitation_accepted.html", {**PAGE, "title": _("Welcome"),
                                                                        "member": user})
    status = 400 if request.method == "POST" else 200
    context = {**PAGE, "title": _("Join %(name)s") % {"name": invitation.organization.name}, "form": form,
               "invitation": invitation}
    return render(request, "backend/invitation.html", context, status=status)


def closed(request, error: ValidationError):
    """The page of a link that cannot be used (any more), with the service's reason."""
    problem = flatten_validation_error(error)[0]
    return render(request, "backend/invitation_closed.html",
                  {**PAGE, "title": _("Invitation link"), "message": problem["message"]},
                  status=CLOSED_STATUS.get(problem["code"], 400))
