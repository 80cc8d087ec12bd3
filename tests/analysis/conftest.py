"""The browser tests' fixtures (a real Chromium against the live server), for the analysis browser test here."""

from tests.browser.conftest import browser, chromium_executable, context, new_context, page, site_url  # noqa: F401
