from django import forms

from accounts.enums import SiteRole
from accounts.models import User
from accounts.queries import holders_of
from core.forms import DateInput

from .models import ApplicationState, Outcome


class AnswersForm(forms.Form):
    def __init__(self, *args, criteria, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for number, criterion in enumerate(criteria, start=1):
            self.fields[f"criterion_{criterion.pk}"] = forms.CharField(
                label=f"{number}. {criterion.title}",
                help_text=criterion.guidance,
                required=False,
                max_length=10000,
                initial=answers.get(criterion.pk, ""),
                widget=forms.Textarea(attrs={"rows": 5}),
            )

    def answers(self):
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class ApplicationForm(AnswersForm):
    """The provider's whole application on one form: the answers and a file of
    evidence. Every button on it (save, upload, submit) posts all of it to its
    own address, and each saves what was typed and any file chosen before
    doing its own step, so no button loses another's work."""

    evidence_criterion = forms.TypedChoiceField(
        label="Which criterion does the file support?", coerce=int, required=False, empty_value=None
    )
    file = forms.FileField(
        label="Upload a file of evidence", required=False, help_text="PDF, Word (DOCX), JPEG or PNG, up to 20 MB"
    )

    def __init__(self, *args, criteria, answers, **kwargs):
        super().__init__(*args, criteria=criteria, answers=answers, **kwargs)
        # Answers first, then the file: the order the page shows them in.
        for name in ("evidence_criterion", "file"):
            self.fields[name] = self.fields.pop(name)
        self.fields["evidence_criterion"].choices = [("", "Choose a criterion")] + [(c.pk, c.title) for c in criteria]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("file") and not cleaned.get("evidence_criterion") and "evidence_criterion" not in self.errors:
            self.add_error("evidence_criterion", "Choose the criterion the file supports")
        return cleaned

    def answers_valid(self) -> bool:
        """Whether every answer can be saved (a file refused does not stop them)."""
        self.is_valid()
        return not any(name.startswith("criterion_") for name in self.errors)

    def evidence_valid(self) -> bool:
        self.is_valid()
        return not {"evidence_criterion", "file"} & set(self.errors)

    def field_name(self, criterion) -> str:
        return f"criterion_{criterion.pk}"

    def answer_fields(self):
        return [self[self.field_name(c)] for c in self.criteria]


class AssignForm(forms.Form):
    assessor = forms.ModelChoiceField(
        label="Assessor", queryset=User.objects.none(), error_messages={"required": "Choose an assessor"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only people who can sign in and assess today: a deactivated account is not offered.
        self.fields["assessor"].queryset = holders_of(SiteRole.ACADEMY_STAFF).order_by("email")
        self.fields["assessor"].empty_label = "Choose an assessor"


class AssessmentForm(forms.Form):
    def __init__(self, *args, criteria, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            outcome, comment = existing.get(criterion.pk, ("", ""))
            self.fields[f"outcome_{criterion.pk}"] = forms.ChoiceField(
                label=f"Outcome for {criterion.title}",
                choices=Outcome.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=outcome,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"Comment on {criterion.title}",
                required=False,
                max_length=5000,
                initial=comment,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def outcomes(self):
        return {
            c.pk: (self.cleaned_data[f"outcome_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"]) for c in self.criteria
        }


class ReturnForm(forms.Form):
    comments = forms.CharField(
        label="What more information is needed?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what more information is needed"},
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[(v, label) for v, label in ApplicationState.choices if v in ApplicationState.decided()],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision"},
    )
    valid_from = forms.DateField(
        label="Accredited from (optional)",
        required=False,
        widget=DateInput(),
        help_text="Leave empty for today; a renewal in time starts the day after the current accreditation ends",
    )
    conditions = forms.CharField(
        label="Conditions (one a line: the condition, then | and the due date as YYYY-MM-DD)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reasons = forms.CharField(
        label="Reasons (needed when refusing)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_conditions(self):
        from datetime import date

        parsed = []
        for number, line in enumerate(self.cleaned_data["conditions"].splitlines(), start=1):
            if not line.strip():
                continue
            text, _, due = line.rpartition("|")
            try:
                parsed.append((text.strip(), date.fromisoformat(due.strip())))
            except ValueError:
                raise forms.ValidationError(
                    f"Line {number}: write the condition, then | and the due date, for example "
                    "'Publish an evaluation | 2027-06-30'"
                ) from None
        return parsed


class StatusChangeForm(forms.Form):
    action = forms.ChoiceField(
        label="Change",
        choices=[("suspend", "Suspend"), ("reinstate", "Reinstate"), ("withdraw", "Withdraw")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the change"},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Emailed to the provider and shown in the public history",
        error_messages={"required": "Give the reason"},
    )
    for_cause = forms.BooleanField(
        label="Withdrawn for cause: revoke the credentials of everyone who completed it under this accreditation",
        required=False,
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = choices
        if not any(value == "withdraw" for value, _ in choices):
            del self.fields["for_cause"]


class ChangeReferralForm(forms.Form):
    reason = forms.CharField(
        label="Why does the change need re-assessment?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Emailed to the provider",
        error_messages={"required": "Say why the change needs re-assessment"},
    )


class ConditionResponseForm(forms.Form):
    response = forms.CharField(
        label="How have you met the condition?",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = forms.FileField(
        label="Evidence (optional)", required=False, help_text="PDF, Word (DOCX), JPEG or PNG, up to 20 MB"
    )
