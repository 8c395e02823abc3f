from django import forms

from core.forms import RequiredMessagesMixin

from . import destinations
from .enums import EventType


class EndpointForm(RequiredMessagesMixin, forms.Form):
    url = forms.CharField(
        label="Address (URL)",
        max_length=500,
        help_text="Where we send events: an https:// address on the public internet",
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=200,
        help_text="For example the name of the system that receives the events",
    )
    events = forms.MultipleChoiceField(
        label="Which events should it receive?",
        help_text="Select all that apply",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, allowed_events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [(e, f"{e}: {EventType(e).label}") for e in allowed_events]
        self.fields["events"].error_messages["required"] = "Select at least one event"
        self.fields["url"].error_messages["required"] = "Enter the address (URL) to send events to"

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        try:
            destinations.check(url)
        except destinations.DestinationRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return url
