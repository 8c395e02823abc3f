from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password

from core.forms import RequiredMessagesMixin

from .enums import MembershipRole, OrganisationKind, Region, Sector, SiteRole
from .models import User


class OrganisationForm(RequiredMessagesMixin, forms.Form):
    name = forms.CharField(label="Organisation name", max_length=200)
    sector = forms.ChoiceField(label="Sector", choices=Sector.choices, widget=forms.RadioSelect)
    kinds = forms.MultipleChoiceField(
        label="What kind of organisation is it?",
        help_text="Select all that apply",
        choices=OrganisationKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    region = forms.ChoiceField(label="Region", choices=[("", "Choose a region")] + Region.choices)
    regulator_number = forms.CharField(
        label="Regulator registration number (optional)",
        required=False,
        max_length=40,
        help_text="For example your Care Quality Commission provider ID",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].error_messages["required"] = "Select at least one kind of organisation"
        self.fields["sector"].error_messages["required"] = "Select the organisation's sector"

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter the organisation name")
        return name


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label="Organisation name", required=False, max_length=100)


class JoinRequestForm(RequiredMessagesMixin, forms.Form):
    message = forms.CharField(
        label="Message to the organisation's admins (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example your job title, so they know who you are",
    )


class JoinDecisionForm(RequiredMessagesMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=[("approve", "Approve"), ("refuse", "Refuse")], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason (needed when refusing)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].error_messages["required"] = "Select approve or refuse"

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not data.get("reason", "").strip():
            self.add_error("reason", "Enter a reason for refusing the request")
        return data


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=MembershipRole.choices)


class GrantRoleForm(RequiredMessagesMixin, forms.Form):
    email = forms.EmailField(label="Email address of the person")
    role = forms.ChoiceField(label="Role", choices=SiteRole.choices, widget=forms.RadioSelect)

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        try:
            self.user = User.objects.get(email__iexact=email)
        except User.DoesNotExist:
            raise forms.ValidationError("No one has signed up with that email address") from None
        return email


class SignupForm(AllauthSignupForm):
    """allauth's sign-up, doing the same work whether or not the address
    already has an account.

    For an address already in use allauth creates nothing and emails the
    owner; a new address costs a password hash (about half a second by
    design) that the other path skipped, so the time of the answer told who
    has an account. Hashing the typed password either way makes the two
    answers take as long, and the page says the same either way."""

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)
