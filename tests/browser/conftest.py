"""A real headless Chromium (Debian's) driven by Playwright against the site served by pytest-django's live server.

Nothing leaves the machine: every request to a host other than the live server is aborted, unless a test
fulfils it itself with page.route (registered later, so it wins).
"""

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
# Generous: CI and developers' machines run other work beside the tests (2 cores, sometimes a load of 8).
TIMEOUT_MS = 30_000


def _install_chromium():
    """Install Debian's chromium when it is missing (CI and developers run as root); fail loudly if that fails."""
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") is None:
        pytest.fail(f"{CHROMIUM} is missing and apt-get is not available to install it: the browser tests cannot run.")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]):
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        if result.returncode != 0:
            pytest.fail(
                f"Could not install chromium for the browser tests: `{' '.join(command)}` exited "
                f"{result.returncode}.\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
            )
    if not CHROMIUM.exists():
        pytest.fail(f"apt-get installed chromium but {CHROMIUM} is still missing.")


@pytest.fixture(scope="session")
def chromium_executable():
    from playwright.sync_api import expect

    _install_chromium()
    expect.set_options(timeout=TIMEOUT_MS)
    return str(CHROMIUM)


@pytest.fixture(scope="module")
def browser(chromium_executable):
    """One Chromium per test module.

    Playwright's sync API keeps an asyncio loop running in the main thread while it is started, and Django's ORM
    refuses to run beside one. The loop lives only as long as this module's tests, which set up their data while
    DJANGO_ALLOW_ASYNC_UNSAFE says that is fine (the loop only drives the browser; nothing here is async).
    """
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()


@pytest.fixture
def site_url(live_server, transactional_db, settings):
    """The live server's address. Each browser test gets an empty database and its own rate-limit allowance."""
    from django.core.cache import cache

    cache.clear()
    settings.RESPONSE_RATE_LIMIT = "1000/h"
    return live_server.url


@pytest.fixture
def new_context(browser, site_url):
    """Make browser contexts that reach only the live server; closed at the end of the test."""
    allowed = urlsplit(site_url).netloc
    opened = []

    def keep_on_machine(route):
        if urlsplit(route.request.url).netloc == allowed or route.request.url.startswith(("data:", "blob:", "file:")):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def make(**options):
        # bypass_csp lets axe-core be injected; the pages are still served with their real CSP headers.
        options = {"bypass_csp": True, "viewport": {"width": 1280, "height": 900}, "locale": "en-GB", **options}
        ctx = browser.new_context(**options)
        ctx.set_default_timeout(TIMEOUT_MS)
        ctx.route("**/*", keep_on_machine)
        opened.append(ctx)
        return ctx

    yield make
    for ctx in opened:
        ctx.close()


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return context.new_page()
