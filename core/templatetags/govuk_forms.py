from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from core import formats
from core.forms import error_target_id

register = template.Library()

INPUT_CLASS = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}


def described_by(field) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    if getattr(field.field, "max_words", None):
        ids.append(f"{field.auto_id}-info")
    return " ".join(ids)


@register.simple_tag
def govuk_widget(field, extra_classes=""):
    """Renders a text-like widget with the GOV.UK classes and ARIA links."""
    base = INPUT_CLASS.get(field.widget_type, "govuk-input")
    classes = [base]
    if field.errors:
        classes.append(f"{base}--error")
    existing = field.field.widget.attrs.get("class")
    if existing:
        classes.append(existing)
    if extra_classes:
        classes.append(extra_classes)
    attrs = {"class": " ".join(classes)}
    if described_by(field):
        attrs["aria-describedby"] = described_by(field)
    if type(field.field.widget) is forms.Select:
        return _select(field, attrs)
    return field.as_widget(attrs=attrs)


def _select(field, attrs):
    """The same markup as Django's select template, built in Python: the
    template renders each option separately, which made filter forms with
    long lists of choices the slowest part of their pages."""
    widget = field.field.widget
    context = widget.get_context(
        field.html_name, field.value(), field.build_widget_attrs({**attrs, "id": field.auto_id})
    )
    options = []
    for group_name, choices, _ in context["widget"]["optgroups"]:
        rendered = format_html_join(
            "", '<option value="{}"{}>{}</option>', ((o["value"], flatatt(o["attrs"]), o["label"]) for o in choices)
        )
        options.append(
            format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered) if group_name else rendered
        )
    return format_html(
        '<select name="{}"{}>{}</select>',
        context["widget"]["name"],
        flatatt(context["widget"]["attrs"]),
        format_html_join("", "{}", ((option,) for option in options)),
    )


@register.filter
def describedby(field):
    return described_by(field)


@register.filter
def error_target(field):
    return error_target_id(field)


@register.filter
def uk_datetime(instant):
    """'5:30pm on 6 January 2027', in UK time."""
    return formats.uk_datetime(instant) if instant else ""


@register.filter
def uk_time(instant):
    """'5:30pm', in UK time."""
    return formats.uk_time(instant) if instant else ""


@register.filter(is_safe=True)
def error_title(title, errors):
    """A page title with "Error: " in front when the page's form has errors,
    once only: pages with several forms put the prefix in their own title."""
    title = str(title).strip()
    if errors and not title.startswith("Error: "):
        return f"Error: {title}"
    return title


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, or None."""
    return mapping.get(key) if mapping else None
