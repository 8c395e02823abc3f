"""GOV.UK Design System rendering for ordinary Django forms.

Every form renders through these templates, so each field gets a label, hint,
error message and the error summary links to the right input without any
per-form markup.
"""

import re

from django import forms
from django.forms.renderers import TemplatesSetting

MULTIPLE_INPUT_WIDGETS = ("radioselect", "checkboxselectmultiple")


def is_id(value) -> bool:
    """Whether a value sent in a form or a query string can be a database id:
    ASCII digits, at most 18 of them. str.isdigit() alone lets through digits
    such as "²" that int() refuses."""
    return re.fullmatch(r"[0-9]{1,18}", str(value)) is not None


class DateInput(forms.DateInput):
    """A browser date picker. Its value must be ISO (YYYY-MM-DD) whatever the
    site's date format: a value in any other form is dropped by the browser,
    and a form opened to change a date would show it empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


def error_target_id(bound_field) -> str:
    """The id an error-summary link should jump to for this field."""
    if bound_field.widget_type in MULTIPLE_INPUT_WIDGETS:
        return f"{bound_field.auto_id}_0"
    if bound_field.widget_type in ("splitdatetime", "multiwidget"):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


class RequiredMessagesMixin:
    """Names the field in 'required' errors: a summary of identical
    "This field is required." links tells a screen reader user nothing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = (field.label or "").rstrip("?").strip()
            if not label:
                continue
            if isinstance(field, (forms.MultipleChoiceField, forms.ChoiceField, forms.ModelChoiceField)):
                field.error_messages["required"] = f"Select {label[0].lower() + label[1:]}"
            elif isinstance(field, forms.BooleanField):
                field.error_messages["required"] = f"Confirm {label[0].lower() + label[1:]}"
            else:
                field.error_messages["required"] = f"Enter {label[0].lower() + label[1:]}"
