"""Form helpers every app's forms share. Imports no other app."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(
    form: forms.Form, error: ValidationError, *, field_for: Mapping[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: by field where the form has it, else on top.

    ``field_for`` renames a service's data names to the form's field names where they differ
    (e.g. a service's ``commune`` is the form's ``territory``).
    """
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    renamed = field_for or {}
    for name, messages in error.message_dict.items():
        field = renamed.get(name, name)
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
