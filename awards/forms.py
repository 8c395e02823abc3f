import re

from django import forms

from accounts.enums import OrganisationKind, Region, Sector
from core.forms import RequiredMessagesMixin, is_id

from .enums import IneligibilityReason, NominationState
from .models import Category, ConsentBasis, ConsentUse, Criterion, Cycle, Programme, Question, count_words

LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class WordLimitedField(forms.CharField):
    """A textarea with a live word count (GOV.UK character count) and the
    same limit enforced on the server."""

    def __init__(self, *, max_words, **kwargs):
        self.max_words = max_words
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 8}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        words = count_words(value or "")
        if words > self.max_words:
            label = (self.label or "your answer").rstrip("?")
            raise forms.ValidationError(f"{label} must be {self.max_words} words or fewer – you have {words} words")


# Provider forms -----------------------------------------------------------------


class StartNominationForm(RequiredMessagesMixin, forms.Form):
    organisation = forms.ModelChoiceField(label="Which organisation is making the nomination?", queryset=None)
    category = forms.ModelChoiceField(
        label="Which category are you entering?", queryset=None, widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, organisations, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["category"].queryset = categories
        self.fields["category"].label_from_instance = lambda c: f"{c.name} – {c.cycle}"
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
            self.fields["organisation"].widget = forms.HiddenInput()


class ServiceForm(RequiredMessagesMixin, forms.Form):
    service_name = forms.CharField(label="Name of the service", max_length=200)
    service_address = forms.CharField(
        label="Address of the service", max_length=500, widget=forms.Textarea(attrs={"rows": 4})
    )
    service_regulator_number = forms.CharField(
        label="Regulator registration number (optional)",
        max_length=40,
        required=False,
        help_text="For example the Care Quality Commission location ID. Leave empty if the service is not registered.",
    )


class AnswersForm(forms.Form):
    """One word-limited field per question of the category. Answers may be
    saved empty as a draft; completeness is checked at submission."""

    def __init__(self, *args, questions, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            name = f"question_{question.pk}"
            self.fields[name] = WordLimitedField(
                label=f"{number}. {question.text}",
                max_words=question.word_limit,
                help_text=question.guidance,
                initial=answers.get(question.pk, ""),
            )

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data[f"question_{q.pk}"] for q in self.questions}


class StatementForm(RequiredMessagesMixin, forms.Form):
    statement = WordLimitedField(
        label="Statement from a person who uses the service",
        max_words=500,
        help_text="In their own words: what difference the service makes to them. You can type it for them.",
    )
    given_by = forms.CharField(
        label="Who gave the statement",
        max_length=200,
        required=False,
        help_text="For example 'a resident' or 'Jo, who uses the day service'",
    )
    consent = forms.BooleanField(
        label="The person agreed to their statement being used in this nomination", required=False
    )


class PublicationConsentForm(forms.Form):
    consent = forms.TypedChoiceField(
        label="If your nomination is shortlisted or wins, may we publish its name, a summary and the images you "
        "marked for publication?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if we may publish your entry"},
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="PDF, Word (DOCX), JPEG, PNG or MP4, up to 20 MB. At most 100 MB for the whole nomination.",
        error_messages={"required": "Select a file to upload"},
    )
    description = forms.CharField(label="What does this file show? (optional)", max_length=300, required=False)


class ImagePublicationForm(forms.Form):
    """For each image of a nomination: publish it if the nomination wins, its
    public caption, and that everyone recognisable in it agreed. One form for
    every image, so nothing typed for one image is lost saving another."""

    def __init__(self, *args, images, **kwargs):
        super().__init__(*args, **kwargs)
        self.images = images
        for number, image in enumerate(images, start=1):
            self.fields[f"publish_{image.pk}"] = forms.BooleanField(
                label=f"Publish image {number} ({image.original_name}) if the nomination wins",
                required=False,
                initial=image.publish,
            )
            self.fields[f"caption_{image.pk}"] = forms.CharField(
                label=f"Public caption for image {number}",
                help_text="Shown beside the image and read out by screen readers. Your description of the file is "
                "never published.",
                max_length=200,
                required=False,
                initial=image.public_caption,
            )
            self.fields[f"consent_{image.pk}"] = forms.BooleanField(
                label=f"Everyone who can be recognised in image {number} agreed to its publication",
                required=False,
                initial=image.people_consent,
            )

    def groups(self):
        """(image, publish, caption, consent) bound fields, one group an image."""
        return [
            (image, self[f"publish_{image.pk}"], self[f"caption_{image.pk}"], self[f"consent_{image.pk}"])
            for image in self.images
        ]

    def clean(self):
        data = super().clean()
        for number, image in enumerate(self.images, start=1):
            if not data.get(f"publish_{image.pk}"):
                continue
            if not (data.get(f"caption_{image.pk}") or "").strip():
                self.add_error(f"caption_{image.pk}", f"Enter a public caption for image {number}")
            if not data.get(f"consent_{image.pk}"):
                self.add_error(
                    f"consent_{image.pk}",
                    f"Confirm that everyone who can be recognised in image {number} agreed to its publication",
                )
        return data

    def choices(self) -> dict[int, dict]:
        return {
            image.pk: {
                "publish": self.cleaned_data[f"publish_{image.pk}"],
                "caption": self.cleaned_data[f"caption_{image.pk}"],
                "people_consent": self.cleaned_data[f"consent_{image.pk}"],
            }
            for image in self.images
        }


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing the nomination? (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label="I understand the nomination will no longer be judged",
        error_messages={"required": "Confirm you understand the nomination will no longer be judged"},
    )


# Administrator forms ----------------------------------------------------------------


class CycleForm(RequiredMessagesMixin, forms.ModelForm):
    class Meta:
        model = Cycle
        fields = [
            "programme",
            "year",
            *[name for name, _ in Cycle.TIMELINE],
            "anonymise_written_stage",
            "sector_balance_margin",
        ]
        widgets = {name: LOCAL_DATETIME for name, _ in Cycle.TIMELINE}
        help_texts = {name: "UK time (Europe/London)" for name, _ in Cycle.TIMELINE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, _ in Cycle.TIMELINE:
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        self.fields["programme"].empty_label = "Choose a programme"


class CopyCycleForm(forms.Form):
    year = forms.IntegerField(
        label="Year of the new cycle", min_value=2000, max_value=2100, error_messages={"required": "Enter the year"}
    )


class CategoryForm(RequiredMessagesMixin, forms.ModelForm):
    eligible_sectors = forms.MultipleChoiceField(
        label="Sectors that may enter",
        help_text="Leave all unticked to let every sector enter",
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    eligible_kinds = forms.MultipleChoiceField(
        label="Kinds of organisation that may enter",
        help_text="Leave all unticked for care providers only",
        choices=OrganisationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Category
        fields = [
            "name",
            "description",
            "eligible_sectors",
            "eligible_kinds",
            "judges_per_nomination",
            "written_weight",
            "visit_weight",
            "order",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class QuestionForm(RequiredMessagesMixin, forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "guidance", "word_limit", "order"]
        labels = {"text": "Question"}
        widgets = {"guidance": forms.Textarea(attrs={"rows": 3})}


DESCRIPTOR_LINE = re.compile(r"^\s*(\d{1,3})\s*(?:(?:-|–|—|to)\s*(\d{1,3})\s*)?[:=]\s*(.*)$")


def descriptors_as_text(bands) -> str:
    """Score descriptors as the administrator types them: one line per band."""
    lines = []
    for band in sorted(bands, key=lambda b: b["low"]):
        scores = str(band["low"]) if band["low"] == band["high"] else f"{band['low']}-{band['high']}"
        lines.append(f"{scores}: {band['text']}")
    return "\n".join(lines)


def parse_descriptors(text: str) -> list[dict]:
    """'0: No evidence' or '1-3: Some evidence', one per line, into bands;
    a line that reads otherwise is refused with its number. Whether the bands
    cover every score is the criterion's rule (awards.models.descriptor_problem)."""
    bands = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = DESCRIPTOR_LINE.match(line)
        if not match or not match.group(3).strip():
            raise forms.ValidationError(
                f"Line {number} of what each score means must start with a score or a range and a colon, "
                f"then the meaning, like 0: No evidence or 1-3: Some evidence"
            )
        low = int(match.group(1))
        high = int(match.group(2)) if match.group(2) else low
        bands.append({"low": low, "high": high, "text": " ".join(match.group(3).split())})
    return bands


class CriterionForm(RequiredMessagesMixin, forms.ModelForm):
    """The criterion with what each score means and its easy-read version.
    Wording, descriptors and easy read may be edited after scoring begins,
    as the criterion's name and guidance always could (delete_criterion is
    what scoring stops); each change is audited with what it replaced."""

    score_descriptors = forms.CharField(
        label="What each score means (optional)",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One line for each score or range of scores, lowest first, like 0: No evidence or "
        "1-3: Some evidence. Together the lines must cover every score from 0 to the maximum score. "
        "Judges see them beside the score box.",
    )

    class Meta:
        model = Criterion
        fields = [
            "stage",
            "name",
            "guidance",
            "weight",
            "max_score",
            "order",
            "score_descriptors",
            "easy_read_name",
            "easy_read_guidance",
        ]
        widgets = {
            "guidance": forms.Textarea(attrs={"rows": 3}),
            "stage": forms.RadioSelect,
            "easy_read_guidance": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "easy_read_name": "Easy-read name (optional)",
            "easy_read_guidance": "Easy-read guidance",
        }
        help_texts = {
            "easy_read_name": "For judges who choose easy read. Use short sentences and everyday words.",
            "easy_read_guidance": "Needed when the criterion has guidance and an easy-read name. "
            "One idea in each sentence.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["score_descriptors"] = descriptors_as_text(self.instance.score_descriptors)

    def clean_score_descriptors(self):
        return parse_descriptors(self.cleaned_data.get("score_descriptors") or "")

    def clean(self):
        data = super().clean()
        easy_name = (data.get("easy_read_name") or "").strip()
        easy_guidance = (data.get("easy_read_guidance") or "").strip()
        if easy_guidance and not easy_name:
            self.add_error("easy_read_name", "Enter the easy-read name as well as the easy-read guidance")
        elif easy_name and (data.get("guidance") or "").strip() and not easy_guidance:
            self.add_error("easy_read_guidance", "Enter the easy-read guidance: this criterion has guidance")
        return data


class EligibilityForm(forms.Form):
    decision = forms.ChoiceField(
        label="Is the nomination eligible?",
        choices=[("eligible", "Eligible"), ("ineligible", "Not eligible")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select eligible or not eligible"},
    )
    reason = forms.ChoiceField(
        label="Reason it is not eligible",
        choices=[("", "Choose a reason")] + IneligibilityReason.choices,
        required=False,
    )
    note = forms.CharField(
        label="Explanation for the provider",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the reason is 'another reason'. The provider sees this.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "ineligible":
            if not data.get("reason"):
                self.add_error("reason", "Select the reason the nomination is not eligible")
            elif data["reason"] == IneligibilityReason.OTHER and not data.get("note", "").strip():
                self.add_error("note", "Explain the reason the nomination is not eligible")
        return data


class ExtensionForm(forms.Form):
    until = forms.DateTimeField(
        label="New closing time for this nomination",
        help_text="UK time (Europe/London)",
        widget=LOCAL_DATETIME,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": "Enter the new closing time", "invalid": "Enter a real date and time"},
    )
    reason = forms.CharField(
        label="Why is the extension granted?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the extension is granted"},
    )


class NominationFilterForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label="Cycle",
        queryset=Cycle.objects.select_related("programme").only("year", "programme__name"),
        required=False,
    )
    category = forms.ModelChoiceField(label="Category", queryset=Category.objects.none(), required=False)
    sector = forms.ChoiceField(label="Sector", choices=[("", "All sectors")] + Sector.choices, required=False)
    region = forms.ChoiceField(label="Region", choices=[("", "All regions")] + Region.choices, required=False)
    state = forms.ChoiceField(label="State", choices=[("", "All states")] + NominationState.choices, required=False)
    q = forms.CharField(label="Reference, service or organisation", max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].empty_label = "All cycles"
        self.fields["category"].empty_label = "All categories"
        cycle_id = self.data.get("cycle") if self.data else None
        categories = Category.objects.select_related("cycle").only("name", "cycle__year")
        if cycle_id and is_id(cycle_id):
            categories = categories.filter(cycle_id=cycle_id)
        self.fields["category"].queryset = categories
        self.fields["category"].label_from_instance = lambda c: f"{c.name} ({c.cycle.year})"


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["name", "reference_prefix", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PersonConsentForm(forms.Form):
    """How a person who uses the service gave consent, and to which uses:
    the nomination form's consent section. Each way of giving consent reveals
    the names it needs (GOV.UK conditional radios); awards.domain.consent
    checks the same again."""

    basis = forms.ChoiceField(
        label="How did they give consent?",
        choices=ConsentBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how consent was given"},
    )
    supporter = forms.CharField(label="Who supported them?", max_length=200, required=False)
    attorney = forms.CharField(
        label="The attorney's full name",
        help_text="The attorney named in their Lasting Power of Attorney for health and welfare",
        max_length=200,
        required=False,
    )
    consulted = forms.CharField(
        label="Who was consulted?",
        help_text="For example family members, friends, carers or an advocate (IMCA)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decided_by = forms.CharField(
        label="Who made the decision?", help_text="Their name and role", max_length=200, required=False
    )
    uses = forms.MultipleChoiceField(
        label="What did they agree to?",
        help_text="Ask about each use separately. They can change their mind until the winners are announced.",
        choices=ConsentUse.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what they agreed to"},
    )

    def clean(self):
        from .domain.consent import REQUIRED_NAMES

        cleaned = super().clean()
        for field, message in REQUIRED_NAMES.get(cleaned.get("basis"), []):
            if not cleaned.get(field, "").strip():
                self.add_error(field, message)
        uses = cleaned.get("uses")
        if uses is not None and ConsentUse.JUDGES not in uses:
            self.add_error(
                "uses", "Select that the judges may read or see it: without that it cannot be part of the nomination"
            )
        return cleaned


class ConsentWithdrawalForm(forms.Form):
    reason = forms.CharField(
        label="Why is consent being withdrawn? (optional)",
        help_text="The awards team reads this. You do not have to give a reason.",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
