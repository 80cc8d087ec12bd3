"""The one inline script: it marks the page as supporting GOV.UK Frontend before first paint, allowed by its hash."""

import base64
import hashlib
import re

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/faqs/", "/no-such-page/"])
def test_every_page_marks_itself_before_first_paint_with_a_script_the_csp_allows_by_hash(client, path):
    response = client.get(path)
    html = response.content.decode()
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    assert len(scripts) == 1, "exactly one inline script"
    assert html.index("<script>") < html.index('class="govuk-skip-link"'), "it runs before anything is painted"
    assert "govuk-frontend-supported" in scripts[0]
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert f"'sha256-{digest}'" in script_src.split()
    assert "'unsafe-inline'" not in csp
