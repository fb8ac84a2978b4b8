"""Filters of /deliveries/."""

from django import forms

from outbox.kinds import all_kinds
from outbox.models import Delivery


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
