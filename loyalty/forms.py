"""Forms of the portal."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

_BARCODE = re.compile(r"^[A-Za-z0-9-]{4,64}$")


class WristbandForm(forms.Form):
    """A wristband or ticket barcode, as printed (spaces are ignored)."""

    barcode = forms.CharField(
        label=_("Wristband or ticket number"),
        help_text=_("The number printed under the barcode, 4 to 64 letters or digits."),
        max_length=80,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_barcode(self) -> str:
        value = re.sub(r"\s+", "", self.cleaned_data["barcode"]).upper()
        if not _BARCODE.match(value):
            raise forms.ValidationError(
                _("Enter the 4 to 64 letters, digits or dashes on your wristband."),
                code="invalid",
            )
        return value
