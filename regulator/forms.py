from django import forms

from awards.models import Cycle

from .enums import Rating


class DirectoryUploadForm(forms.Form):
    file = forms.FileField(
        label="The regulator's care directory file (CSV or ODS)",
        help_text="The care directory with ratings as the regulator publishes it. Up to 40 MB.",
        error_messages={"required": "Select the directory file"},
    )


class RatingRuleForm(forms.Form):
    minimum_rating = forms.ChoiceField(
        label="Lowest overall rating the category accepts",
        choices=Rating.minimum_choices(),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the lowest rating the category accepts"},
    )
    max_age_months = forms.IntegerField(
        label="Maximum age of the rating in months (optional)",
        help_text="Leave empty to accept a rating of any age.",
        required=False,
        min_value=1,
        max_value=120,
        error_messages={
            "invalid": "Enter the maximum age as a whole number of months",
            "min_value": "The maximum age must be at least 1 month",
            "max_value": "The maximum age must be 120 months or fewer",
        },
    )


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label="Why the rating rule is set aside for this nomination",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why the rating rule is set aside for this nomination"},
    )


class EntryFilterForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label="Cycle", queryset=Cycle.objects.select_related("programme"), required=False, empty_label="Every cycle"
    )


class FindServiceForm(forms.Form):
    number = forms.CharField(
        label="Regulator registration number",
        max_length=40,
        error_messages={"required": "Enter the regulator registration number to find"},
    )
