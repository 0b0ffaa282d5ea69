"""A test project that plays an existing Django site with the fan portal added to it.

"Harbour City Club" has its own ``base.html``, its own ``django.contrib.auth`` users and
admin, its own ``users`` app with ``login`` and ``profile`` URL names, its own middleware
and context processor. Adding the portal took what ``docs/install-into-existing-site.md``
lists and nothing more: two apps, one middleware line, a ``TBITS`` dict, one ``include()``
per app under ``/fans/`` and one template override (``templates/tbits_accounts/base.html``).

``settings.py`` / ``urls.py`` are the site; ``settings_sandboxed.py`` / ``urls_sandboxed.py``
add only the API sandbox the tests talk to. The tests in ``site_tests/`` run in their own
pytest process with these settings (``test_hostsite.py`` starts it): pytest-django
configures Django once per process, so the host project cannot share the suite's.
"""
