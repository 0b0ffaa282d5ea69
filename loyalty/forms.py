"""Forms of the portal; their words come from the loyalty adapter, like every page's."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from loyalty.adapter import get_adapter

_BARCODE = re.compile(r"^[A-Za-z0-9-]{4,64}$")


class WristbandForm(forms.Form):
    """A wristband or ticket barcode, as printed (spaces are ignored)."""

    barcode = forms.CharField(
        max_length=80,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Per form, not at import: the site's adapter and the request's language apply.
        adapter = get_adapter()
        field = self.fields["barcode"]
        field.label = adapter.message("wristband_label")
        field.help_text = adapter.message("wristband_help")

    def clean_barcode(self) -> str:
        value = re.sub(r"\s+", "", self.cleaned_data["barcode"]).upper()
        if not _BARCODE.match(value):
            raise forms.ValidationError(get_adapter().message("wristband_invalid"), code="invalid")
        return value
