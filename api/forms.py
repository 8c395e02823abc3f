from django import forms

from core.forms import RequiredMessagesMixin

from .domain import LIFETIMES
from .scopes import SCOPES


class TokenForm(RequiredMessagesMixin, forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What the token is for, for example 'Learning system at Riverside'",
    )
    scopes = forms.MultipleChoiceField(
        label="What may the token do?",
        help_text=(
            "Select all that apply. The token can never do more than you can: it acts with the roles "
            "you hold at the time of each request"
        ),
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    expires_in_days = forms.TypedChoiceField(
        label="When should the token expire?",
        choices=[(str(days), label) for days, label in LIFETIMES.items()],
        coerce=int,
        widget=forms.RadioSelect,
        help_text="At most a year. You can revoke it at any time before then",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter a name for the token"
        self.fields["scopes"].error_messages["required"] = "Select at least one thing the token may do"
        self.fields["expires_in_days"].error_messages["required"] = "Select when the token should expire"
