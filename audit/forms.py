"""Filters of /audit/: who, what and when."""

from django import forms

from audit.actions import action_choices


class AuditFilterForm(forms.Form):
    actor = forms.CharField(
        required=False,
        label="Who",
        max_length=254,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Email contains"}),
    )
    action = forms.ChoiceField(required=False, label="What")
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Every action"), *action_choices()]

    def clean(self):
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return data

    def filters(self) -> dict:
        """The filters that are valid (call after is_valid): a wrong field is left out, and says why."""
        data = self.cleaned_data
        return {
            "actor": (data.get("actor") or "").strip(),
            "action": data.get("action") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
