"""Filters of /deliveries/, the organisation's identity form and the chat webhooks' form."""

import io

from django import forms
from PIL import Image

from csweek.core.colours import validate_accent
from csweek.core.validators import validate_one_line
from outbox.chat import TOPICS, validate_webhook_url
from outbox.kinds import all_kinds
from outbox.models import WEBHOOK_URL_MAX_LENGTH, ChatWebhook, Delivery


class DeliveryFilterForm(forms.Form):
    week = forms.TypedChoiceField(required=False, label="Week", coerce=int, empty_value=None)
    kind = forms.ChoiceField(required=False, label="Kind")
    status = forms.ChoiceField(
        required=False, label="Status", choices=[("", "Any status"), *Delivery.Status.choices]
    )
    q = forms.CharField(required=False, label="Address", max_length=254)

    def __init__(self, *args, week_years: list[int] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["week"].choices = [("", "Every email")] + [
            (str(year), f"Customer Service Week {year}") for year in week_years
        ]
        self.fields["kind"].choices = [("", "Every kind")] + [(kind.name, kind.label) for kind in all_kinds()]


LOGO_MAX_BYTES = 300 * 1024
LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label="Organisation name",
        max_length=80,
        validators=[validate_one_line],
        help_text="Shown in the header, in every email and on the wall.",
    )
    accent_colour = forms.CharField(
        label="Accent colour",
        max_length=7,
        validators=[validate_accent],
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text="Buttons, links and email headers use it; it must be dark enough to read on white.",
    )
    logo = forms.FileField(
        label="Logo",
        required=False,
        help_text="PNG, JPEG or WebP, at most 300 KB; square logos look best.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_logo = forms.BooleanField(label="Remove the logo (show the csweek logo)", required=False)

    def clean_logo(self) -> tuple[bytes, str] | None:
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(
                f"This file is {upload.size // 1024:,} KB: choose a logo of at most 300 KB."
            )
        data = upload.read()
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
                image_format = image.format
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
            message = "This file is not an image: choose a PNG, JPEG or WebP file."
            raise forms.ValidationError(message) from error
        if image_format not in LOGO_FORMATS:
            raise forms.ValidationError("Choose a PNG, JPEG or WebP file.")
        return data, LOGO_FORMATS[image_format]


class ChatWebhookForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=80,
        validators=[validate_one_line],
        help_text="How you recognise it here, e.g. “Slack #front-line”.",
    )
    service = forms.ChoiceField(label="Service", choices=ChatWebhook.Service.choices)
    url = forms.CharField(
        label="Incoming webhook URL",
        max_length=WEBHOOK_URL_MAX_LENGTH,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "url"}),
        help_text="Starts with https://. It is a secret: once saved, it is only shown masked.",
    )
    topics = forms.MultipleChoiceField(
        label="What to post there",
        required=False,
        choices=[(topic.key, topic.label) for topic in TOPICS.values()],
        widget=forms.CheckboxSelectMultiple,
    )
    enabled = forms.BooleanField(label="Post to this webhook", required=False, initial=True)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["url"].required = False
            self.fields["url"].help_text = "Leave empty to keep the saved URL; paste a new one to replace it."

    def clean_url(self) -> str:
        url = self.cleaned_data.get("url", "")
        if not url and not self.fields["url"].required:
            return ""
        return validate_webhook_url(url)
