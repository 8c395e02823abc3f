from allauth.account import forms as allauth_forms
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
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


PASSWORD_HINT = "Use at least 12 characters. A few words you can remember, with spaces, works well."
CODE_HINT = "The 6-digit code your authenticator app shows now. It changes every 30 seconds."


class PlainWordsMixin:
    """allauth's forms in plain words: its labels ("E-mail", "Password
    (again)", "Remember Me") replaced, placeholders removed (GOV.UK forms use
    labels and hints, never placeholders) and each required-field message
    naming the field. `LABELS` and `HINTS` map a field's name to its words."""

    LABELS: dict[str, str] = {}
    HINTS: dict[str, str] = {}
    REQUIRED: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.LABELS:
                field.label = self.LABELS[name]
            if name in self.HINTS:
                field.help_text = self.HINTS[name]
            if name in self.REQUIRED:
                field.error_messages["required"] = self.REQUIRED[name]
            elif field.label:
                field.error_messages["required"] = f"Enter {field.label[0].lower()}{field.label[1:]}"


class LoginForm(PlainWordsMixin, allauth_forms.LoginForm):
    LABELS = {"login": "Email address", "password": "Password", "remember": "Keep me signed in on this device"}
    HINTS = {"password": ""}
    REQUIRED = {"login": "Enter your email address", "password": "Enter your password"}


class SignupForm(PlainWordsMixin, AllauthSignupForm):
    """allauth's sign-up, asking for the person's name, doing the same work
    whether or not the address already has an account.

    For an address already in use allauth creates nothing and emails the
    owner; a new address costs a password hash (about half a second by
    design) that the other path skipped, so the time of the answer told who
    has an account. Hashing the typed password either way makes the two
    answers take as long, and the page says the same either way."""

    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    field_order = ["full_name", "email", "password1", "password2"]
    LABELS = {"email": "Email address", "password1": "Create a password", "password2": "Type the password again"}
    HINTS = {
        "email": "We will send you an email to check it is yours",
        "password1": PASSWORD_HINT,
    }
    REQUIRED = {
        "full_name": "Enter your full name",
        "email": "Enter your email address",
        "password1": "Create a password",
        "password2": "Type the password again",
    }

    def clean_full_name(self):
        full_name = " ".join(self.cleaned_data["full_name"].split())
        if not full_name:
            raise forms.ValidationError("Enter your full name")
        return full_name

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)


class ResetPasswordForm(PlainWordsMixin, allauth_forms.ResetPasswordForm):
    LABELS = {"email": "Email address"}
    REQUIRED = {"email": "Enter your email address"}


class ResetPasswordKeyForm(PlainWordsMixin, allauth_forms.ResetPasswordKeyForm):
    LABELS = {"password1": "New password", "password2": "Type the new password again"}
    HINTS = {"password1": PASSWORD_HINT}


class ChangePasswordForm(PlainWordsMixin, allauth_forms.ChangePasswordForm):
    LABELS = {
        "oldpassword": "Current password",
        "password1": "New password",
        "password2": "Type the new password again",
    }
    HINTS = {"oldpassword": "", "password1": PASSWORD_HINT}
    REQUIRED = {"oldpassword": "Enter your current password"}


class SetPasswordForm(PlainWordsMixin, allauth_forms.SetPasswordForm):
    LABELS = {"password1": "Password", "password2": "Type the password again"}
    HINTS = {"password1": PASSWORD_HINT}


class AddEmailForm(PlainWordsMixin, allauth_forms.AddEmailForm):
    LABELS = {"email": "New email address"}
    HINTS = {"email": "We will send an email to it to check it is yours"}
    REQUIRED = {"email": "Enter the new email address"}


class ReauthenticateForm(PlainWordsMixin, allauth_forms.ReauthenticateForm):
    LABELS = {"password": "Your password"}
    HINTS = {"password": ""}
    REQUIRED = {"password": "Enter your password"}


class MfaAuthenticateForm(PlainWordsMixin, mfa_forms.AuthenticateForm):
    LABELS = {"code": "Code from your authenticator app"}
    HINTS = {"code": CODE_HINT + " If you do not have your phone, enter one of your recovery codes."}
    REQUIRED = {"code": "Enter the code from your authenticator app"}


class MfaReauthenticateForm(PlainWordsMixin, mfa_forms.ReauthenticateForm):
    LABELS = {"code": "Code from your authenticator app"}
    HINTS = {"code": CODE_HINT}
    REQUIRED = {"code": "Enter the code from your authenticator app"}


class ActivateTotpForm(PlainWordsMixin, totp_forms.ActivateTOTPForm):
    LABELS = {"code": "Code from your authenticator app"}
    HINTS = {"code": CODE_HINT}
    REQUIRED = {"code": "Enter the code from your authenticator app"}
