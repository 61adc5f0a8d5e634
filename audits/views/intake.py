"""Grievance intake pages for workers' organizations: site → what happened → review → sent, then the status.

Each step is a plain form POST that saves the draft (a GrievanceFiling, reached through the tenancy layer by its
reference) and redirects to the next step, so the form works without JavaScript; intake.js only adds suggestions
as the caseworker types and keeps the draft on the device while the connection is gone. Every rule lives in
audits/services/intake.py; the forms here only read types (text, dates, numbers) and show errors in the page's
language, by the code the service gives.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from audits.models import Channel, GrievanceState
from audits.services import intake
from audits.services.suggestions import suggest_for_text
from audits.taxonomy import Category
from backend.pages import page
from backend.permissions import Permission

STEPS = (("site", _("The site")), ("what", _("What happened")), ("review", _("Review")), ("sent", _("Sent")))
ERROR_MESSAGES = {
    "required": _("This is needed."),
    "too_long": _("This is too long."),
    "invalid": _("This value is not one we know."),
    "out_of_range": _("This value is not possible (a date in the future, or a negative number)."),
    "not_found": _("This site is not among the sites you can see."),
}
STATE_LABELS = {
    GrievanceState.RECEIVED: _("Received"), GrievanceState.ACKNOWLEDGED: _("Acknowledged"),
    GrievanceState.UNDER_INVESTIGATION: _("Under investigation"), GrievanceState.SUBSTANTIATED: _("Substantiated"),
    GrievanceState.NOT_SUBSTANTIATED: _("Not substantiated"), GrievanceState.REMEDIATED: _("Remediated"),
    GrievanceState.CLOSED: _("Closed"),
}
JS_TEXTS = {  # what intake.js says, in the page's language
    "offline": _("You are offline. This step is kept on this device and will be sent when the connection returns."),
    "sending": _("The connection is back: sending what was kept…"),
}
FIELD_MESSAGES = {
    ("site_name", "required"): _("Give the site's name, or its Open Supply Hub ID."),
    ("site_country", "invalid"): _("We do not know this country. Write its name in English or its two-letter code."),
}


class SiteForm(forms.Form):
    site_name = forms.CharField(label=_("Name of the site"), required=False,
                                help_text=_("The factory, farm or workshop, as the workers call it."))
    site_address = forms.CharField(label=_("Address"), required=False,
                                   help_text=_("Street, town or district: whatever is known."))
    site_country = forms.CharField(label=_("Country"), required=False, help_text=_("For example India or BD."))
    site_os_id = forms.CharField(label=_("Open Supply Hub ID (if known)"), required=False)


class EventsForm(forms.Form):
    channel = forms.ChoiceField(label=_("How did the grievance reach you?"), choices=Channel.choices)
    description = forms.CharField(label=_("What happened?"), widget=forms.Textarea(attrs={"rows": 8}),
                                  help_text=_("In the workers' words. Do not write names here."))
    category = forms.ChoiceField(label=_("Category (you can choose it on the next step)"), required=False,
                                 choices=[("", _("Not sure yet"))] + Category.choices)
    events_on = forms.DateField(label=_("When did it happen (or begin)?"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    workers_affected = forms.IntegerField(label=_("How many workers are affected?"), required=False)
    children_involved = forms.BooleanField(label=_("Children are involved"), required=False)
    reporter_name = forms.CharField(label=_("Reporter's name (optional)"), required=False)
    reporter_contact = forms.CharField(label=_("How to reach the reporter (optional)"), required=False,
                                       help_text=_("Kept encrypted. Only your organization can read it."))

    def events(self) -> dict:
        data = dict(self.cleaned_data)
        data["reporter"] = {"name": data.pop("reporter_name"), "contact": data.pop("reporter_contact")}
        return data


class ReviewForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    chosen_site = forms.ChoiceField(label=_("Which site is it?"), required=False, widget=forms.RadioSelect)
    suggested = forms.MultipleChoiceField(choices=Category.choices, required=False, widget=forms.MultipleHiddenInput)


def show_errors(form: forms.Form, error: ValidationError) -> None:
    """The service's refusals on the form, in the page's language, by field and code."""
    for field, errors in error.error_dict.items():
        target = field if field in form.fields else None
        for item in errors:
            form.add_error(target, FIELD_MESSAGES.get((field, item.code), ERROR_MESSAGES.get(item.code, item.message)))


def draft_or_404(request, reference: str):
    filing = intake.draft_of(request.viewer, reference)
    if filing is None:
        raise Http404("No draft of that reference.")
    return filing


def sent_or_404(request, reference: str):
    filing = intake.filing_of(request.viewer, reference)
    if filing is None or filing.sent_at is None:
        raise Http404("No grievance sent under that reference.")
    return filing


def render_step(request, step: str, context: dict):
    context["steps"] = [(key, label, index < [key for key, _label in STEPS].index(step))
                        for index, (key, label) in enumerate(STEPS)]
    context["step"] = step
    context["js_texts"] = {key: str(text) for key, text in JS_TEXTS.items()}
    return render(request, f"audits/intake/{step}.html", context)


@page(Permission.FILE_GRIEVANCES)
def intake_home(request):
    """The organization's grievances, each with its status, and the way to file a new one."""
    filings = list(intake.filings_of(request.viewer)[:100])
    rows = []
    for filing in filings:
        status = intake.status_of(request.viewer, filing)
        rows.append((filing, status, STATE_LABELS[status.state]))
    return render(request, "audits/intake/home.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@page(Permission.FILE_GRIEVANCES)
def intake_site(request, reference: str | None = None):
    filing = draft_or_404(request, reference) if reference else None
    initial = {name: getattr(filing, name) for name in SiteForm.base_fields} if filing else {}
    form = SiteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if filing is None:
                filing = intake.start_filing(request.viewer, form.cleaned_data)
            else:
                intake.describe_site(filing, form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            return redirect("audits:intake-what", reference=filing.reference)
    return render_step(request, "site", {"form": form, "filing": filing})


@require_http_methods(["GET", "POST"])
@page(Permission.FILE_GRIEVANCES)
def intake_what(request, reference: str):
    filing = draft_or_404(request, reference)
    reporter = intake.reporter_of_filing(filing)
    initial = {name: getattr(filing, name) for name in EventsForm.base_fields if hasattr(filing, name)}
    initial.update(reporter_name=reporter.name, reporter_contact=reporter.contact)
    form = EventsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            intake.describe_events(filing, form.events())
        except ValidationError as error:
            show_errors(form, error)
        else:
            return redirect("audits:intake-review", reference=filing.reference)
    return render_step(request, "what", {"form": form, "filing": filing})


@require_http_methods(["GET", "POST"])
@page(Permission.FILE_GRIEVANCES)
def intake_review(request, reference: str):
    filing = draft_or_404(request, reference)
    if not filing.description:
        return redirect("audits:intake-what", reference=filing.reference)
    suggested = intake.category_suggestions(filing).suggestions
    sites = intake.site_suggestions(request.viewer, filing)
    best = filing.category or (suggested[0].category if suggested else "")
    form = ReviewForm(request.POST or None, initial={
        "category": best, "suggested": [s.category for s in suggested], "chosen_site": ""})
    form.fields["chosen_site"].choices = [("", _("Let Tributary find the site from what I wrote"))] + [
        (str(site.site_id), " · ".join(part for part in (site.name, site.address, site.country, site.os_id) if part))
        for site in sites]
    if request.method == "POST" and form.is_valid():
        try:
            intake.send_filing(request.viewer, filing, form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            return redirect("audits:intake-sent", reference=filing.reference)
    return render_step(request, "review", {
        "form": form, "filing": filing, "reporter": intake.reporter_of_filing(filing),
        "suggested": [Category(s.category).label for s in suggested]})


def status_context(request, filing) -> dict:
    status = intake.status_of(request.viewer, filing)
    return {"filing": filing, "status": status, "state_label": STATE_LABELS[status.state]}


@page(Permission.FILE_GRIEVANCES)
def intake_sent(request, reference: str):
    filing = sent_or_404(request, reference)
    return render_step(request, "sent", status_context(request, filing))


@page(Permission.FILE_GRIEVANCES)
def intake_status(request, reference: str):
    filing = sent_or_404(request, reference)
    return render(request, "audits/intake/status.html", status_context(request, filing))


@require_POST
@page(Permission.FILE_GRIEVANCES)
def intake_suggest(request):
    """POST (the text stays out of URLs and access logs) → the suggested categories as JSON, for intake.js."""
    try:
        found = suggest_for_text(request.POST.get("text", ""))  # in any of the four languages, whatever the page's
    except ValidationError as error:
        return JsonResponse({"errors": error.message_dict}, status=400)
    labels = dict(Category.choices)
    return JsonResponse({"available": found.available, "suggestions": [
        {"category": s.category, "label": str(labels[s.category]), "confidence": round(s.confidence, 2)}
        for s in found.suggestions]})
