"""The forms of the upload pages: what a person sends, checked for shape only (the rules are the services')."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from imports.reading import Limits


class UploadForm(forms.Form):
    """An upload: the file, optionally the worksheet to read, and whether to commit as soon as it is clean."""

    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=format_lazy(_("XLSX or CSV, at most {megabytes} MB."), megabytes=Limits().max_bytes // 2**20),
    )
    sheet = forms.CharField(
        label=_("Worksheet"), required=False, max_length=100,
        help_text=_("Leave empty to read the first sheet that holds data."),
    )
    commit = forms.BooleanField(
        label=_("Commit straight away if nothing is wrong"), required=False,
        help_text=_("Without it, the file is only checked (a dry run) and you commit it after reading the result."),
    )

    def add_service_error(self, invalid: ValidationError) -> None:
        """Show a service's refusal on the field it names, or above the form when it names no field of it."""
        for field, errors in invalid.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)


class BestMatchesForm(forms.Form):
    """Accept, for every question, its best candidate when it scores at least `min_score`."""

    min_score = forms.FloatField(
        label=_("Lowest score to accept"), min_value=0, max_value=100, initial=100,
        help_text=_("100 accepts exact matches only. Sites whose best candidates are tied are left for you."),
    )


class DecisionsFileForm(forms.Form):
    """Decisions listed in a CSV file (`site_ref,site_id`, site_id a candidate's ID or "new")."""

    decisions = forms.FileField(
        label=_("Decisions file (CSV)"),
        help_text=_('Columns site_ref and site_id; site_id is the candidate\'s ID or "new" for a new site.'),
    )
