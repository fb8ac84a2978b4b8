"""Forms for profiles, people, teams, invitations and the staff import."""

import base64
import binascii

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.validators import FileExtensionValidator

from csweek.core.images import MAX_UPLOAD_BYTES, avatar_encode
from csweek.core.validators import validate_one_line
from outbox.preferences import all_preferences
from outbox.selectors import email_opt_outs
from people import selectors
from people.adapters import signup_refusal
from people.models import Role, Team, User, available_time_zones, validate_time_zone


def time_zone_choices():
    return [(tz, tz.replace("_", " ")) for tz in sorted(available_time_zones())]


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Dates and times are shown to you in this zone.")
        super().__init__(choices=time_zone_choices, **kwargs)

    def validate(self, value):
        # A clearer message than the generic "not one of the available choices".
        if value in self.empty_values and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if value:
            validate_time_zone(value)


class ProfileForm(forms.ModelForm):
    time_zone = TimeZoneField(label="Time zone")
    photo = forms.FileField(
        label="Profile photo",
        required=False,
        help_text="A JPEG, PNG or WebP picture of up to 5 MB; it is cropped to a square from its centre.",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_remove = forms.BooleanField(label="Remove my photo (show my initials instead)", required=False)
    # The photo fields are drawn by the template in their own fieldset, not with the email choices.
    NOT_EMAIL_CHOICES = ("photo_remove",)

    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "display_name",
            "time_zone",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One checkbox per email preference the apps declare (outbox.preferences), ticked unless
        # the person switched it off.
        if not self.instance.photo:
            del self.fields["photo_remove"]  # nothing to remove
        opted_out = email_opt_outs(user=self.instance) if self.instance.pk else set()
        for preference in all_preferences():
            self.fields[preference.key] = forms.BooleanField(
                label=preference.help_text, required=False, initial=preference.key not in opted_out
            )

    def clean_photo(self) -> bytes | None:
        """The uploaded picture's bytes, decoded here once so a bad file is refused with the form."""
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The photo is {upload.size / 1024 / 1024:.1f} MB; the limit is 5 MB. Choose a smaller one."
            )
        data = upload.read()
        avatar_encode(data)  # raises a ValidationError saying what is wrong with the file
        return data

    def photo_data(self) -> dict:
        """The photo arguments of profile_update (after is_valid)."""
        return {
            "photo": self.cleaned_data.get("photo"),
            "remove_photo": self.cleaned_data.get("photo_remove"),
        }

    def email_choices(self) -> dict[str, bool]:
        """Each preference key and whether the person wants those emails (after is_valid)."""
        return {preference.key: self.cleaned_data[preference.key] for preference in all_preferences()}

    def profile_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PersonForm(forms.ModelForm):
    role = forms.ChoiceField(choices=Role.choices)
    time_zone = TimeZoneField(label="Time zone")

    class Meta:
        model = User
        fields = ["first_name", "last_name", "display_name", "team", "role", "time_zone", "is_active"]
        labels = {"is_active": "Active (may sign in)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.order_by("name")
        self.fields["team"].empty_label = "No team"
        if self.instance.pk and not self.is_bound:
            self.initial["role"] = self.instance.role or Role.AGENT


class InviteForm(forms.Form):
    email = forms.EmailField()
    first_name = forms.CharField(max_length=150, required=False, validators=[validate_one_line])
    last_name = forms.CharField(max_length=150, required=False, validators=[validate_one_line])
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"), required=False, empty_label="No team"
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.AGENT)
    time_zone = TimeZoneField(label="Time zone")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(f"{email} already has an account.")
        return email


class TeamForm(forms.ModelForm):
    managers = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Managers approve nominations and see the people of this team.",
    )

    class Meta:
        model = Team
        fields = ["name", "managers"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["managers"].queryset = selectors.manager_candidates()

    def clean_name(self):
        # A name another team has (whatever the case) is refused by Team.clean(), as in the service.
        return self.cleaned_data["name"].strip()


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form (ACCOUNT_FORMS): allowed domains only; invited people use their link."""

    def clean_email(self):
        email = super().clean_email()
        refusal = signup_refusal(email)
        if refusal:
            raise forms.ValidationError(refusal, code="signup_refused")
        return email


class InvitationAcceptForm(forms.Form):
    password1 = forms.CharField(
        label="Choose a password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="Type it again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords do not match.")
        elif p1:
            try:
                password_validation.validate_password(p1, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class StaffImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        validators=[FileExtensionValidator(["csv", "txt"])],
        help_text="Columns: email, first_name, last_name, team, role, manager_email, time_zone. "
        "Comma or semicolon separated, UTF-8.",
    )

    MAX_BYTES = 5 * 1024 * 1024

    @classmethod
    def max_bytes(cls) -> int:
        """The preview posts the file back base64-encoded (4/3 of its size) within Django's body limit."""
        body_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if body_limit is None:
            return cls.MAX_BYTES
        return min(cls.MAX_BYTES, (body_limit - 64 * 1024) * 3 // 4)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = self.max_bytes()
        if upload.size > limit:
            size = f"{limit / 1024 / 1024:.1f} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
            raise forms.ValidationError(f"The file is larger than {size}; split it into several imports.")
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
        # UTF-16 without a byte order mark decodes as UTF-8, but with a NUL in every other byte.
        if text is None or "\x00" in text:
            raise forms.ValidationError(
                "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8 (comma delimited)”."
            )
        return text


class StaffImportConfirmForm(forms.Form):
    """Carries the previewed file back, base64-encoded so no byte of it is altered on the way."""

    content = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": "The import data was missing; upload the file again."},
    )

    def __init__(self, *args, content: str | None = None, **kwargs):
        if content is not None:
            kwargs["initial"] = {"content": base64.b64encode(content.encode()).decode()}
        super().__init__(*args, **kwargs)

    def clean_content(self):
        try:
            return base64.b64decode(self.cleaned_data["content"], validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise forms.ValidationError("The import data was damaged; upload the file again.") from None
