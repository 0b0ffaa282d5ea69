"""The forms of the login steps and the profile, accessible without JavaScript.

Errors are tied to their field with ``aria-describedby`` and ``aria-invalid``, and the
first field in error gets ``autofocus``, so keyboard and screen-reader users land on what
needs fixing without any script.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.adapter import get_adapter
from accounts.contact import ContactPoint, parse_contact

_CODE = re.compile(r"^\d{4,8}$")
MIN_PASSWORD_LENGTH = 8


class AccessibleForm(forms.Form):
    """Adds the ARIA wiring and the autofocus that point users at errors."""

    # Whether the first field gets focus when the page opens with no error.
    autofocus_first = True

    def full_clean(self) -> None:
        super().full_clean()
        self._wire_accessibility()

    def _wire_accessibility(self) -> None:
        if not self.is_bound:
            return  # an empty form keeps the autofocus set in __init__
        focused = False
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            attrs = field.widget.attrs
            attrs.pop("autofocus", None)
            describedby = [f"id_{name}_help"] if field.help_text else []
            if self.is_bound and name in self.errors:
                describedby.insert(0, f"id_{name}_error")
                attrs["aria-invalid"] = "true"
                if not focused:
                    attrs["autofocus"] = True
                    focused = True
            else:
                attrs.pop("aria-invalid", None)
            if describedby:
                attrs["aria-describedby"] = " ".join(describedby)
            else:
                attrs.pop("aria-describedby", None)
        if self.is_bound and not focused and self.non_field_errors():
            # A form-wide error (a wrong code, a failed login) sends focus to the first field.
            first = self._first_visible_field()
            if first is not None:
                first.widget.attrs["autofocus"] = True

    def _first_visible_field(self) -> forms.Field | None:
        return next(
            (f for f in self.fields.values() if not isinstance(f.widget, forms.HiddenInput)),
            None,
        )

    def add_flow_error(self, message: str, *, field: str | None = None) -> None:
        """Add an error found after validation (by a flow) and rewire focus and ARIA."""
        self.add_error(field, message)
        self._wire_accessibility()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_help"
        if self.autofocus_first and not self.is_bound:
            first = self._first_visible_field()
            if first is not None:
                first.widget.attrs["autofocus"] = True


def _contact_field() -> forms.CharField:
    return forms.CharField(
        label=_("Email or mobile phone number"),
        max_length=254,
        help_text=_("We will send you a code to log in. Phone numbers get a text message."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )


class ContactForm(AccessibleForm):
    """Step 1: the email or phone number a code is sent to."""

    contact = _contact_field()
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_contact(self) -> ContactPoint:
        return parse_contact(self.cleaned_data["contact"])


class OneTimeCodeInput(forms.TextInput):
    """A code field that never writes the typed code back into the page."""

    def format_value(self, value: Any) -> str | None:
        return None


class CodeForm(AccessibleForm):
    """Step 2: the code from the email or text message."""

    code = forms.CharField(
        label=_("Code"),
        max_length=8,
        help_text=_("The code is in the message we just sent. It works for 10 minutes."),
        widget=OneTimeCodeInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]*",
                "size": "8",
            }
        ),
    )

    def clean_code(self) -> str:
        code = re.sub(r"\s", "", self.cleaned_data["code"])
        if not _CODE.match(code):
            raise ValidationError(get_adapter().error_message("code_invalid_format"), code="format")
        return code


class PasswordLoginForm(AccessibleForm):
    """Log in with a password instead of a code."""

    contact = _contact_field()
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].help_text = ""
        self.fields["contact"].widget.attrs.pop("aria-describedby", None)

    def clean_contact(self) -> ContactPoint:
        return parse_contact(self.cleaned_data["contact"])


class RegisterForm(AccessibleForm):
    """Step 3 for a new fan: a name, and the terms when the account has them."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    accept_terms = forms.BooleanField(
        label=_("I accept the terms and the privacy policy"), required=False
    )

    def __init__(self, *args: Any, show_terms: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.show_terms = show_terms
        if show_terms:
            self.fields["accept_terms"].required = True
            self.fields["accept_terms"].error_messages["required"] = get_adapter().error_message(
                "terms_required"
            )
        else:
            del self.fields["accept_terms"]


class ProfileForm(AccessibleForm):
    """The fan's names and message preferences.

    Each field carries its shown value in a hidden ``initial-`` input, so the save sends only
    what the fan changed (``changed_data``). A field the API's fan record did not answer
    (the documented record has no ``display_name`` or ``is_phone_subscribed``: api-reference,
    "Fetch current Fan Record") is shown empty, and sending that empty value back would
    erase the fan's real one.
    """

    autofocus_first = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.show_hidden_initial = True

    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        required=False,
        help_text=_("Shown on leaderboards instead of your name."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    is_subscribed = forms.BooleanField(label=_("Send me news by email"), required=False)
    is_phone_subscribed = forms.BooleanField(
        label=_("Send me news by text message"), required=False
    )


class SetPasswordForm(AccessibleForm):
    """Set a password, or change it, so the fan can log in without a code."""

    autofocus_first = False

    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        min_length=MIN_PASSWORD_LENGTH,
        max_length=256,
        help_text=_("At least 8 characters."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label=_("New password again"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("new_password"), cleaned.get("new_password_again")
        if first and second and first != second:
            self.add_error(
                "new_password_again",
                ValidationError(get_adapter().error_message("password_mismatch"), code="mismatch"),
            )
        return cleaned


class IdolForm(forms.Form):
    """Like or unlike one idol."""

    idol_uid = forms.CharField(max_length=100)
    action = forms.ChoiceField(choices=[("add", "add"), ("delete", "delete")])
