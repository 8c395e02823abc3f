from django import forms

from accounts.models import User
from awards.forms import LOCAL_DATETIME
from core.forms import RequiredMessagesMixin

from .enums import AccessNeed, Award, ConflictType, SupportKind
from .models import JudgeProfile, JudgingSettings


class InviteJudgeForm(forms.Form):
    email = forms.EmailField(label="Email address of the judge", error_messages={"required": "Enter an email address"})


class ProfileForm(RequiredMessagesMixin, forms.ModelForm):
    class Meta:
        model = JudgeProfile
        fields = ["sector_background", "lived_experience", "expertise", "prefers_easy_read"]
        widgets = {
            "sector_background": forms.RadioSelect,
            "lived_experience": forms.RadioSelect,
            "expertise": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"prefers_easy_read": "Show me the criteria in easy read when I score"}
        help_texts = {
            "lived_experience": "Every panel includes people who use care services or are unpaid carers.",
            "prefers_easy_read": "Easy read uses short sentences, plain words and larger text. "
            "You can still open the standard wording of each criterion.",
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
    """A score (0 to the criterion's maximum) and a comment per criterion.
    Each score box shows what the scores mean beside it (the criterion's
    descriptors, linked to the box for screen readers); with `easy_read` (the
    judge's profile choice) a criterion that has an easy-read version is
    named and explained in it, the standard wording one click away."""

    def __init__(self, *args, criteria, existing, easy_read=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            score, comment = existing.get(criterion.pk, (None, ""))
            in_easy_read = easy_read and criterion.has_easy_read
            name = criterion.easy_read_name if in_easy_read else criterion.name
            score_field = forms.IntegerField(
                label=f"Score for {name} (0 to {criterion.max_score})",
                min_value=0,
                max_value=criterion.max_score,
                required=False,
                initial=score,
                help_text=criterion.easy_read_guidance if in_easy_read else criterion.guidance,
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
                error_messages={
                    "min_value": f"The score for {name} must be 0 or more",
                    "max_value": f"The score for {name} must be {criterion.max_score} or less",
                    "invalid": f"The score for {name} must be a whole number",
                },
                template_name="judging/judge/includes/score_field.html",
            )
            score_field.criterion = criterion
            score_field.easy_read = easy_read
            score_field.in_easy_read = in_easy_read
            self.fields[f"score_{criterion.pk}"] = score_field
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"Comment on {name}",
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


def judge_choice_label(user) -> str:
    """A judge in a list to pick from: name, email, and what balances a
    panel (sector and lived experience of care)."""
    profile = getattr(user, "judge_profile", None)
    if profile is None:
        about = "no judge profile yet"
    else:
        lived = "lived experience of care" if profile.has_lived_experience else "no lived experience of care"
        about = f"{profile.get_sector_background_display()}, {lived}"
    name = user.full_name or user.email
    email = f" ({user.email})" if user.full_name else ""
    return f"{name}{email} – {about}"


class JudgeSearchForm(forms.Form):
    """The search box above a list to pick from: a GET form, so it works without JavaScript."""

    q = forms.CharField(label="Search by name or email address", required=False, max_length=100)


class NominationSearchForm(forms.Form):
    q = forms.CharField(label="Search by reference or service name", required=False, max_length=100)


class AddMembersForm(forms.Form):
    judges = forms.ModelMultipleChoiceField(
        label="Judges to add to the panel",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Only active judges who are not on this panel are listed.",
        error_messages={
            "required": "Select at least one judge to add to the panel",
            "invalid_choice": "Select judges from the list: one of those chosen can no longer be added",
            "invalid_pk_value": "Select judges from the list",
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judges"].queryset = candidates
        self.fields["judges"].label_from_instance = judge_choice_label


class OverrideForm(forms.Form):
    """An administrator's change to one assignment, picked from the category's
    eligible nominations and the panel's members."""

    nomination = forms.ModelChoiceField(
        label="Nomination",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the nomination",
            "invalid_choice": "Select a nomination from the list: that one is no longer eligible",
        },
    )
    judge = forms.ModelChoiceField(
        label="Judge",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the judge",
            "invalid_choice": "Select a judge from the list: that one is no longer on the panel",
        },
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

    def __init__(self, *args, nominations, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = nominations
        self.fields["nomination"].label_from_instance = lambda n: (
            f"{n.reference} – {n.service_name} ({n.judge_count} judge{'s' if n.judge_count != 1 else ''})"
        )
        self.fields["judge"].queryset = members
        self.fields["judge"].label_from_instance = judge_choice_label


class RemoveMemberForm(forms.Form):
    """Removing a member: who takes over their scorecards, the new chair if
    they chair the panel, and the reason (needed when they have submitted
    scores, which are then scored again)."""

    reassign_to = forms.ModelChoiceField(
        label="Who takes over their scorecards?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the member who takes over their scorecards",
            "invalid_choice": "Select a member of the panel from the list",
        },
    )
    new_chair = forms.ModelChoiceField(
        label="Who chairs the panel instead?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the new chair",
            "invalid_choice": "Select a member of the panel from the list",
        },
    )
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded in the audit log and emailed to the judges concerned.",
    )

    def __init__(self, *args, others, holds_work, is_chair, submitted=(), **kwargs):
        super().__init__(*args, **kwargs)
        if holds_work:
            self.fields["reassign_to"].queryset = others
            self.fields["reassign_to"].label_from_instance = judge_choice_label
        else:
            del self.fields["reassign_to"]
        if is_chair:
            self.fields["new_chair"].queryset = others
            self.fields["new_chair"].label_from_instance = judge_choice_label
        else:
            del self.fields["new_chair"]
        if submitted:
            field = self.fields["reason"]
            field.required = True
            field.label = "Why are their submitted scores handed to another judge?"
            field.help_text = (
                f"They have submitted scores for {', '.join(submitted)}: the judge who takes over scores "
                "them again. The reason is recorded and emailed to the judges concerned."
            )
            field.error_messages["required"] = "Enter the reason for handing their submitted scores to another judge"


class JudgingSettingsForm(forms.ModelForm):
    class Meta:
        model = JudgingSettings
        fields = [
            "min_panel_size",
            "min_lived_experience",
            "min_sectors",
            "disagreement_threshold",
            "shortlist_size",
            "lived_experience_divergence_threshold",
            "min_scorecards_for_normalisation",
        ]
        labels = {
            "min_panel_size": "Smallest panel",
            "min_lived_experience": "Members with lived experience, at least",
            "min_sectors": "Sectors represented, at least",
            "disagreement_threshold": "Disagreement threshold (points out of 100)",
            "shortlist_size": "Shortlist size (top N)",
            "lived_experience_divergence_threshold": "Lived-experience divergence threshold (points out of 100, "
            "optional)",
            "min_scorecards_for_normalisation": "Scorecards a judge needs before their scores are normalised",
        }
        error_messages = {
            "min_scorecards_for_normalisation": {
                "min_value": "A judge needs at least 2 scorecards before their scores can be normalised",
                "max_value": "Enter 50 or fewer scorecards",
                "required": "Enter how many scorecards a judge needs before their scores are normalised",
            },
            "lived_experience_divergence_threshold": {
                "max_value": "Enter a threshold of 100 points or less, or leave it empty",
            },
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


class EarlyReasonForm(forms.Form):
    """Confirming an action that has a due date (publishing the shortlist,
    approving results): before that date the reason is needed, and the
    confirmation page shows the field only then (`early`)."""

    early_reason = forms.CharField(
        label="Why do this before it is due?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, early, question="", required_message="", **kwargs):
        super().__init__(*args, **kwargs)
        if not early:
            del self.fields["early_reason"]
            return
        field = self.fields["early_reason"]
        field.required = True
        field.label = question or field.label
        field.error_messages["required"] = required_message or "Enter the reason for doing this before it is due"


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
    lived_experience_consideration = forms.CharField(
        label="How the lived-experience judges' view was considered (not published)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, lived_experience_required=False, **kwargs):
        """`lived_experience_required`: the lived-experience judges' mean
        differs from the final score beyond the cycle's threshold, so the
        chair must answer the extra question (judging.domain.final)."""
        super().__init__(*args, **kwargs)
        field = self.fields["lived_experience_consideration"]
        if lived_experience_required:
            field.required = True
            field.error_messages["required"] = "Say how the lived-experience judges' view was considered"
            field.help_text = (
                "The mean score of the judges with lived experience of care differs from the final score by more "
                "than the cycle allows without an explanation."
            )
        elif not self.is_bound:
            del self.fields["lived_experience_consideration"]

    def clean(self):
        data = super().clean()
        if data.get("award") and data["award"] != Award.NONE and not data.get("citation", "").strip():
            self.add_error("citation", "Write a citation for the award")
        return data


class AccessNeedsForm(forms.Form):
    """The access needs questions (Accessible Information Standard: identify
    and record) and the two separate consents to share them."""

    kinds = forms.MultipleChoiceField(
        label="What do you need to take part?",
        choices=AccessNeed.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Choose all that apply. Leave them all unticked if you need none of these.",
        error_messages={"invalid_choice": "Choose access needs from the list"},
    )
    details = forms.CharField(
        label="Anything else we should know, in your own words (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example the name of your supporter, the breaks you need, or the format of papers.",
        error_messages={"max_length": "Describe your access needs in 2000 characters or fewer"},
    )
    share_with_admin = forms.BooleanField(
        label="Share my access needs with the awards administrator, so that meetings and visits can be arranged "
        "to meet them",
        required=False,
    )
    share_with_hosts = forms.BooleanField(
        label="Share my access needs with the services I visit as a judge (without my name), so they can prepare",
        required=False,
        help_text="You can untick either box at any time. It takes effect at once.",
    )


class ScoringSupportForm(forms.Form):
    """Assisted scoring: whether a supporter helped with this scorecard, who, and how."""

    helped = forms.ChoiceField(
        label="Did someone help you score this nomination?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if someone helped you"},
    )
    supporter_name = forms.CharField(
        label="Their name",
        required=False,
        max_length=200,
        error_messages={"max_length": "Enter the supporter's name in 200 characters or fewer"},
    )
    kinds = forms.MultipleChoiceField(
        label="How did they help?",
        choices=SupportKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Choose all that apply.",
        error_messages={"invalid_choice": "Choose how they helped from the list"},
    )
    description = forms.CharField(
        label="Tell us more (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Describe how they helped in 2000 characters or fewer"},
    )

    def clean(self):
        data = super().clean()
        if data.get("helped") == "yes":
            if not data.get("supporter_name", "").strip():
                self.add_error("supporter_name", "Enter the name of the person who helped you")
            if not data.get("kinds") and not data.get("description", "").strip():
                self.add_error("kinds", "Say how they helped you")
        return data


class CalibrationExampleForm(RequiredMessagesMixin, forms.Form):
    title = forms.CharField(label="Title of the example", max_length=200)
    entry_text = forms.CharField(
        label="The example entry",
        max_length=10000,
        help_text="Made up, or fully anonymised: never a real entrant's details. Judges read it and score it on "
        "the category's written-stage criteria.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class CalibrationScoreForm(forms.Form):
    """A score (0 to the maximum) for every written-stage criterion: all required."""

    def __init__(self, *args, criteria, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=f"Score for {criterion.name} (0 to {criterion.max_score})",
                min_value=0,
                max_value=criterion.max_score,
                initial=existing.get(criterion.pk),
                help_text=criterion.guidance,
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
                error_messages={
                    "required": f"Enter a score for {criterion.name}",
                    "min_value": f"The score for {criterion.name} must be 0 or more",
                    "max_value": f"The score for {criterion.name} must be {criterion.max_score} or less",
                    "invalid": f"The score for {criterion.name} must be a whole number",
                },
            )

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}
