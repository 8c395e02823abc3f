from django import forms

from accounts.enums import Sector
from core.forms import RequiredMessagesMixin

from .models import Course, FrameworkDomain, FrameworkLevel


class CourseForm(RequiredMessagesMixin, forms.ModelForm):
    sectors = forms.MultipleChoiceField(
        label="Which sectors is the course open to?",
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    levels = forms.ModelMultipleChoiceField(
        label="Leadership levels", queryset=FrameworkLevel.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    domains = forms.ModelMultipleChoiceField(
        label="Domains", queryset=FrameworkDomain.objects.all(), widget=forms.CheckboxSelectMultiple
    )

    url = forms.URLField(label="Web address (optional)", required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Course
        fields = [
            "provider",
            "title",
            "summary",
            "levels",
            "domains",
            "delivery_mode",
            "duration_hours",
            "cost",
            "region",
            "designed_for_social_care",
            "url",
            "external_id",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5}), "delivery_mode": forms.RadioSelect}
        labels = {"duration_hours": "Length in hours", "external_id": "Your own id for the course (optional)"}

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.fields["provider"].empty_label = "Choose the provider"
        if self.instance.pk:
            self.fields["sectors"].initial = self.instance.sectors
        else:
            self.fields["sectors"].initial = list(Sector.values)
        self.fields["external_id"].required = False

    def clean_external_id(self):
        return self.cleaned_data.get("external_id") or None


class FrameworkItemForm(RequiredMessagesMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=100)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    order = forms.IntegerField(label="Order", min_value=0, max_value=100, initial=0)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Use the template's columns. Up to 50,000 courses and 20 MB.",
        error_messages={"required": "Select a CSV file"},
    )
