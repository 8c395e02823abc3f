import re
import uuid

from django import forms

from accounts.enums import Sector
from core.forms import DateInput

from .enums import AppointmentKind

UUID_IN_TEXT = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


class CheckCredentialForm(forms.Form):
    """The credential's ID, or the link printed on the certificate or shared by
    the leader: either way the ID is the UUID inside it."""

    credential = forms.CharField(
        label="Credential ID or link",
        max_length=300,
        help_text="For example 0b6a3c52-1f4e-4d7a-9c1e-5f2d8a7b9e10, or the whole link to the credential",
        error_messages={"required": "Enter the credential ID or link"},
    )

    def clean_credential(self):
        found = UUID_IN_TEXT.search(self.cleaned_data["credential"])
        if not found:
            raise forms.ValidationError(
                "Enter the credential ID or link as it is written, for example 0b6a3c52-1f4e-4d7a-9c1e-5f2d8a7b9e10"
            )
        return uuid.UUID(found.group(0))


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Why is the credential revoked?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown to anyone who checks the credential",
        error_messages={"required": "Give the reason for revoking the credential"},
    )


class LeaderProfileForm(forms.Form):
    job_title = forms.CharField(label="Job title", max_length=200, error_messages={"required": "Enter your job title"})
    employer = forms.ModelChoiceField(label="Employer (optional)", queryset=None, required=False)
    sector = forms.ChoiceField(
        label="Sector", choices=[], widget=forms.RadioSelect, error_messages={"required": "Select your sector"}
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = organisations
        self.fields["employer"].empty_label = "Not listed"
        self.fields["sector"].choices = Sector.choices


class CompletionForm(forms.Form):
    course = forms.ModelChoiceField(
        label="Course from the register",
        queryset=None,
        required=False,
        help_text="Leave empty if the course is not on the register",
    )
    course_title = forms.CharField(label="Course title (if not on the register)", max_length=200, required=False)
    provider_name = forms.CharField(label="Course provider (if not on the register)", max_length=200, required=False)
    completed_on = forms.DateField(
        label="Date you completed the course",
        widget=DateInput(),
        error_messages={"required": "Enter the date you completed the course", "invalid": "Enter a real date"},
    )
    certificate = forms.FileField(
        label="Certificate (optional)", required=False, help_text="PDF, JPEG or PNG, up to 10 MB"
    )

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["course"].empty_label = "Not on the register"

    def clean(self):
        data = super().clean()
        if not data.get("course") and not (
            data.get("course_title", "").strip() and data.get("provider_name", "").strip()
        ):
            self.add_error("course", "Choose a course from the register, or enter the course title and its provider")
        return data


class AppointmentForm(forms.Form):
    local_authority = forms.ModelChoiceField(
        label="Local authority", queryset=None, error_messages={"required": "Choose the local authority"}
    )
    appointed_on = forms.DateField(
        label="Appointed on",
        widget=DateInput(),
        error_messages={"required": "Enter the appointment date", "invalid": "Enter a real date"},
    )
    ended_on = forms.DateField(label="Ended on (optional)", required=False, widget=DateInput())
    kind = forms.ChoiceField(
        label="Type of appointment",
        widget=forms.RadioSelect,
        choices=[],
        error_messages={"required": "Select the type of appointment"},
    )
    email = forms.EmailField(
        label="Leader's email address",
        required=False,
        help_text="Academy staff only: the leader the appointment belongs to",
    )

    def __init__(self, *args, authorities, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authority"].queryset = authorities
        self.fields["local_authority"].empty_label = "Choose a local authority"
        self.fields["kind"].choices = AppointmentKind.choices
        if not staff:
            del self.fields["email"]


class AppointmentChangeForm(AppointmentForm):
    """Academy staff correct or end an appointment, saying why."""

    reason = forms.CharField(
        label="Reason for the change",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the audit log, for example “Left the post on 30 June (letter from the council)”",
        error_messages={"required": "Give the reason for the change"},
    )

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, authorities=authorities, staff=False, **kwargs)
        self.fields["ended_on"].label = "Last day in post (optional)"
        self.fields["ended_on"].help_text = "Enter it when the appointment has ended or its end is known"
        self.fields["ended_on"].error_messages["invalid"] = "Enter a real date"


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason for rejecting",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give the reason for rejecting the completion"},
    )
