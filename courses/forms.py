import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from accounts.enums import Sector
from core.forms import RequiredMessagesMixin

from .enums import DeliveryMode
from .models import Course, FrameworkDomain, FrameworkLevel

# Pounds as people write them: "1250", "1,250", "£1,250.50", "£ 1 250".
MONEY = re.compile(r"^£?\s*(\d{1,3}(?:[,\s]\d{3})+|\d+)(\.\d{1,2})?$")


class PoundsField(forms.DecimalField):
    """An amount in pounds that may have a leading £ and thousands separators."""

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            match = MONEY.match(text)
            if match is None:
                raise ValidationError("Enter the cost as an amount in pounds, like 1250 or £1,250.50", code="invalid")
            digits = re.sub(r"[,\s]", "", match.group(1)) + (match.group(2) or "")
            try:
                return Decimal(digits)
            except InvalidOperation:  # pragma: no cover - the pattern admits digits only
                raise ValidationError("Enter the cost as an amount in pounds", code="invalid") from None
        return super().to_python(value)


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
    # Radios with no "---------" choice: a mode must be chosen.
    delivery_mode = forms.ChoiceField(label="Delivery mode", choices=DeliveryMode.choices, widget=forms.RadioSelect)
    cost = PoundsField(
        label="Cost in pounds",
        help_text="0 for free courses. For example, 1250 or £1,250.50",
        max_digits=8,
        decimal_places=2,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )

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
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}
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


class ProviderImportForm(ImportForm):
    """A course provider's import: for one of its own organisations."""

    organisation = forms.ModelChoiceField(
        label="Import courses for",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Choose your organisation", "invalid_choice": "Choose your organisation"},
    )

    field_order = ["organisation", "file"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class DraftFilterForm(forms.Form):
    """Filters of the academy's list of draft and imported courses (GET)."""

    SHOW = [("", "Drafts and imported courses"), ("draft", "Drafts only"), ("imported", "Imported courses only")]

    show = forms.ChoiceField(label="Show", choices=SHOW, required=False)
    provider = forms.ModelChoiceField(label="Provider", queryset=None, required=False, empty_label="All providers")
    q = forms.CharField(label="Title contains", required=False, max_length=200)

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers

    def filter(self, courses):
        from .models import CourseState

        data = self.cleaned_data
        if data["show"] == "draft":
            courses = courses.filter(state=CourseState.DRAFT)
        elif data["show"] == "imported":
            courses = courses.filter(import_job__isnull=False)
        if data["provider"]:
            courses = courses.filter(provider=data["provider"])
        if data["q"]:
            courses = courses.filter(title__icontains=data["q"])
        return courses
