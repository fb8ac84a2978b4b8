"""The recap's thank-you note."""

from django import forms

from insights.models import WeekRecap


class RecapNoteForm(forms.ModelForm):
    class Meta:
        model = WeekRecap
        fields = ["thank_you_note"]
        widgets = {"thank_you_note": forms.Textarea(attrs={"rows": 5})}
