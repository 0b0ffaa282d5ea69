"""The loyalty programme as code: a setup file, its validation, a plan, and its apply.

- :mod:`~loyalty.programme.validation` reads a TOML setup file into a
  :class:`~loyalty.programme.spec.Programme`, or lists every problem (pure).
- :mod:`~loyalty.programme.planner` compares it with what the account holds and returns a
  :class:`~loyalty.programme.planner.Plan` (pure).
- :mod:`~loyalty.programme.applier` reads the account and applies a plan through
  ``tbits_client``.
- :mod:`~loyalty.programme.diagnosis` is what ``manage.py tbits_check`` reports.

The file format is documented in docs/setup-file.md; the commands in docs/commands.md.
Validation and planning import no Django and make no API call (they share only the
client's enums); diagnosis reads Django's settings. Importing this package imports none
of them: import the submodules you need.
"""
