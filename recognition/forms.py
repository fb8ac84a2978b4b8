"""Forms for nominating, reviewing and filtering; errors keep what was typed."""

from django import forms

from csweek.core.images import MAX_UPLOAD_BYTES, award_photo_encode
from csweek.core.validators import COMMENT_MAX_LENGTH, validate_one_line
from people.models import User
from recognition.models import EVIDENCE_MAX_LENGTH, STORY_MAX_LENGTH, STORY_MIN_LENGTH, AwardCategory


class NominationForm(forms.Form):
    """The nomination as typed; the service applies the rules (self, duplicate, window, daily limit)."""

    nominee = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True),
        label="Colleague",
        error_messages={
            "required": "Choose the colleague you are nominating: search by name, then pick them.",
            "invalid_choice": "That person cannot be found; search again by name.",
        },
    )
    category = forms.ModelChoiceField(
        queryset=AwardCategory.objects.none(),
        label="Award category",
        empty_label="Choose a category",
        error_messages={
            "required": "Choose an award category.",
            "invalid_choice": "That category is not taking nominations now; choose one from the list.",
        },
    )
    story = forms.CharField(
        label="Their story",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"What they did and why it mattered ({STORY_MIN_LENGTH} to {STORY_MAX_LENGTH} characters).",
        max_length=STORY_MAX_LENGTH,
        error_messages={
            "required": "Tell the story: what they did and why it mattered.",
            "max_length": f"Keep the story to {STORY_MAX_LENGTH} characters (you wrote %(show_value)d).",
        },
    )
    evidence_quote = forms.CharField(
        label="What the customer said (optional)",
        required=False,
        max_length=EVIDENCE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The customer's own words, from a survey, an email or a call.",
    )
    evidence_reference = forms.CharField(
        label="Reference (optional)",
        required=False,
        max_length=120,
        validators=[validate_one_line],
        help_text="A ticket number or survey comment id, so a reviewer can check it.",
    )
    anonymous = forms.BooleanField(label="Keep my name off the wall", required=False)

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if categories is not None:
            self.fields["category"].queryset = categories
        self.fields["category"].label_from_instance = lambda c: f"{c.name} ({c.week.year})"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("evidence_reference") and not cleaned.get("evidence_quote"):
            self.add_error("evidence_quote", "Add what the customer said, or leave the reference empty too.")
        return cleaned


class DeclineForm(forms.Form):
    comment = forms.CharField(
        label="Why you decline it",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=COMMENT_MAX_LENGTH,
        help_text="Only the nominator reads this; the nominee is never told about a declined nomination "
        f"(up to {COMMENT_MAX_LENGTH:,} characters).",
        error_messages={"required": "Say why you decline it: the nominator reads this comment."},
    )


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label="Comment (optional)",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=f"Up to {COMMENT_MAX_LENGTH:,} characters.",
    )


class BulkApproveForm(forms.Form):
    """The ticked ids are read by the view, which looks each one up among what the reviewer may review."""

    comment = forms.CharField(
        label="Comment for all of them (optional)",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=f"Up to {COMMENT_MAX_LENGTH:,} characters.",
    )


class AwardPhotoForm(forms.Form):
    photo = forms.FileField(
        label="Photo",
        help_text="A JPEG, PNG or WebP picture of up to 5 MB; it is kept at most 1600 pixels wide.",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        error_messages={"required": "Choose a photo to upload."},
    )

    def clean_photo(self) -> bytes:
        """The picture's bytes, decoded once here so a bad file is refused with a clear message."""
        upload = self.cleaned_data["photo"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The photo is {upload.size / 1024 / 1024:.1f} MB; the limit is 5 MB. Choose a smaller one."
            )
        data = upload.read()
        award_photo_encode(data)
        return data
