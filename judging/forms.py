from django import forms

from accounts.models import User
from awards.forms import LOCAL_DATETIME
from core.forms import RequiredMessagesMixin

from .enums import Award, ConflictType
from .models import JudgingSettings, JudgeProfile


class InviteJudgeForm(forms.Form):
    email = forms.EmailField(label="Email address of the judge", error_messages={"required": "Enter an email address"})


class ProfileForm(RequiredMessagesMixin, forms.ModelForm):
    class Meta:
        model = JudgeProfile
        fields = ["sector_background", "lived_experience", "expertise", "access_needs"]
        widgets = {
            "sector_background": forms.RadioSelect,
            "lived_experience": forms.RadioSelect,
            "expertise": forms.Textarea(attrs={"rows": 3}),
            "access_needs": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "lived_experience": "Every panel includes people who use care services or are unpaid carers.",
            "access_needs": "For example step-free access, a British Sign Language interpreter, breaks, "
            "large-print papers. Only the awards team sees this.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A model field's choices come with an empty "---------" choice, which
        # radios must not offer: leaving them all unselected is the empty answer.
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):
                field.choices = [(value, label) for value, label in field.choices if value != ""]


class ConflictForm(RequiredMessagesMixin, forms.Form):
    kind = forms.ChoiceField(label="How are you connected?", choices=ConflictType.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label="Tell us more (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ScoreForm(forms.Form):
    """A score (0 to the criterion's maximum) and a comment per criterion."""

    def __init__(self, *args, criteria, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            score, comment = existing.get(criterion.pk, (None, ""))
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=f"Score for {criterion.name} (0 to {criterion.max_score})",
                min_value=0,
                max_value=criterion.max_score,
                required=False,
                initial=score,
                help_text=criterion.guidance,
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
                error_messages={
                    "min_value": f"The score for {criterion.name} must be 0 or more",
                    "max_value": f"The score for {criterion.name} must be {criterion.max_score} or less",
                    "invalid": f"The score for {criterion.name} must be a whole number",
                },
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"Comment on {criterion.name}",
                required=False,
                max_length=3000,
                initial=comment,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def scores(self) -> dict[int, tuple[int | None, str]]:
        return {c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"]) for c in self.criteria}


class NoAwardForm(forms.Form):
    rationale = forms.CharField(label="Why no award is made", required=False, max_length=5000)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the reason"},
    )


class JudgeEmailForm(forms.Form):
    email = forms.EmailField(label="Judge's email address", error_messages={"required": "Enter the judge's email"})

    def clean_email(self):
        email = self.cleaned_data["email"]
        self.judge = User.objects.filter(email__iexact=email).first()
        if self.judge is None:
            raise forms.ValidationError("No one has signed up with that email address")
        return email


class OverrideForm(JudgeEmailForm):
    field_order = ["reference", "email", "change", "reason"]
    reference = forms.CharField(
        label="Nomination reference",
        max_length=20,
        error_messages={"required": "Enter the nomination's reference"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    change = forms.ChoiceField(
        label="Change",
        choices=[("add", "Assign this judge"), ("remove", "Take this judge off")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the change"},
    )
    reason = forms.CharField(
        label="Reason for the change", max_length=2000, error_messages={"required": "Enter the reason for the change"}
    )

    def __init__(self, *args, category=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category

    def clean_reference(self):
        from awards.models import Nomination

        reference = self.cleaned_data["reference"].strip().upper()
        self.nomination = Nomination.objects.filter(category=self.category, reference__iexact=reference).first()
        if self.nomination is None:
            raise forms.ValidationError(f"No nomination in this category has the reference {reference}")
        return reference


class JudgingSettingsForm(forms.ModelForm):
    class Meta:
        model = JudgingSettings
        fields = ["min_panel_size", "min_lived_experience", "min_sectors", "disagreement_threshold", "shortlist_size"]
        labels = {
            "min_panel_size": "Smallest panel",
            "min_lived_experience": "Members with lived experience, at least",
            "min_sectors": "Sectors represented, at least",
            "disagreement_threshold": "Disagreement threshold (points out of 100)",
            "shortlist_size": "Shortlist size (top N)",
        }


class ShortlistForm(forms.Form):
    mode = forms.ChoiceField(
        label="How is the shortlist chosen?",
        choices=[("top", "The top nominations by normalised score"), ("select", "The panel's own selection")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the shortlist is chosen"},
    )
    nominations = forms.MultipleChoiceField(
        label="Nominations on the shortlist", required=False, widget=forms.CheckboxSelectMultiple
    )
    rationale = forms.CharField(
        label="The panel's rationale",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the panel makes its own selection",
    )

    exception = forms.CharField(
        label="Scorecards are still out: why decide the shortlist now?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded with the shortlist",
    )

    def __init__(self, *args, rows, outstanding=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.outstanding = list(outstanding)
        if not self.outstanding:
            del self.fields["exception"]
        self.fields["nominations"].choices = [
            (str(r.nomination_id), f"{r.rank}. {r.reference} (normalised {r.normalised:.1f})") for r in rows
        ]

    def clean(self):
        data = super().clean()
        if data.get("mode") == "select":
            if not data.get("nominations"):
                self.add_error("nominations", "Select the nominations on the shortlist")
            if not data.get("rationale", "").strip():
                self.add_error("rationale", "Explain why the panel chose this shortlist")
        if self.outstanding and not data.get("exception", "").strip():
            self.add_error("exception", "Say why the panel decides before every scorecard is in, or wait for them")
        return data


class PublishShortlistForm(forms.Form):
    """Publishing a decided shortlist; before the cycle's shortlist date the
    domain asks for the reason (the page shows the field only then)."""

    early_reason = forms.CharField(
        label="Why publish the shortlist before it is due?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TieBreakForm(forms.Form):
    preferred = forms.ChoiceField(label="Rank this nomination higher")
    over = forms.ChoiceField(label="Than this nomination")
    reason = forms.CharField(
        label="Reason for the casting decision",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the reason for the casting decision"},
    )

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Choose a nomination")] + [(str(r.nomination_id), r.reference) for r in rows]
        self.fields["preferred"].choices = choices
        self.fields["over"].choices = choices


def judge_label(user) -> str:
    profile = getattr(user, "judge_profile", None)
    lived = profile is not None and profile.has_lived_experience
    return f"{user.get_full_name()}{' (lived experience)' if lived else ''}"


class VisitForm(RequiredMessagesMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label="Starts", widget=LOCAL_DATETIME, help_text="UK time", input_formats=["%Y-%m-%dT%H:%M"]
    )
    ends_at = forms.DateTimeField(
        label="Ends", widget=LOCAL_DATETIME, help_text="UK time", input_formats=["%Y-%m-%dT%H:%M"]
    )
    address = forms.CharField(label="Address", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    access_notes = forms.CharField(
        label="Access notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example parking, step-free entrance, who to ask for",
    )
    provider_contact_name = forms.CharField(label="Provider contact's name", max_length=200)
    provider_contact_email = forms.EmailField(label="Provider contact's email")
    provider_contact_phone = forms.CharField(label="Provider contact's phone (optional)", max_length=40, required=False)
    judges = forms.ModelMultipleChoiceField(
        label="Visiting judges",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="At least two, including at least one with lived experience of care",
    )

    def __init__(self, *args, panel_judges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judges"].queryset = panel_judges
        self.fields["judges"].label_from_instance = lambda u: (
            f"{u.get_full_name()}"
            + (
                " (lived experience)"
                if getattr(getattr(u, "judge_profile", None), "has_lived_experience", False)
                else ""
            )
        )

    def details(self):
        data = dict(self.cleaned_data)
        data.pop("judges")
        return data


class VisitReportForm(forms.Form):
    what_was_seen = forms.CharField(
        label="What you saw",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        error_messages={"required": "Describe what you saw on the visit"},
    )
    spoke_to_people_using_service = forms.BooleanField(label="People who use the service", required=False)
    spoke_to_carers = forms.BooleanField(label="Family members or carers", required=False)
    spoke_to_staff = forms.BooleanField(label="Staff", required=False)
    who_was_spoken_to = forms.CharField(
        label="Who you spoke to, and what they said",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        required=False,
    )
    evidence_seen = forms.CharField(
        label="Evidence you saw (optional)", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )


class FinalResultForm(forms.Form):
    award = forms.ChoiceField(
        label="Award", choices=Award.choices, widget=forms.RadioSelect, error_messages={"required": "Select the award"}
    )
    citation = forms.CharField(
        label="Citation (published with the award)",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rationale = forms.CharField(
        label="The panel's rationale (not published)",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Record the panel's rationale"},
    )

    def clean(self):
        data = super().clean()
        if data.get("award") and data["award"] != Award.NONE and not data.get("citation", "").strip():
            self.add_error("citation", "Write a citation for the award")
        return data
