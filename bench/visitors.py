"""Visitors beyond the first anonymous one, on the wire: someone part-way through a response reading the public pages
and searching (their session holds a journey: served from the page cache, and rendered afresh on a hard refresh),
and each step of the journey itself, GET and POST.

Every figure is a share of hello-world served by the same gunicorn in the same run (load.throughput).
"""

import os
from urllib.parse import urlencode, urlsplit

from tests.scale.processes import FormParser, Respondent, fill

from . import load

STEP_SECONDS = int(os.environ.get("BENCH_STEP_SECONDS", "6"))
SEARCH_SECONDS = int(os.environ.get("BENCH_SEARCH_SECONDS", "6"))
# A word every demo source has (FAQs, posts, pages and calls), as a reader would type it.
SEARCH_QUERY = os.environ.get("BENCH_SEARCH_QUERY", "care")

# Shares of hello-world (docs/benchmarks.md).
CACHED_TARGET = 0.6
UNCACHED_TARGET = 0.25
SEARCH_TARGET = 0.2
STEP_GET_TARGET = 0.15


class Returning:
    """A respondent walking a call's journey, who stops after answering `answered` steps (all of them: at check your
    answers): the cookie their browser sends, and each step page reached with the form it POSTs, as
    [(step, path, form data)] (check your answers: no data)."""

    def __init__(self, base, slug, answered=None):
        self.respondent = Respondent(base, slug, 1)
        self.steps = []
        page = self.respondent.follow(self.respondent.request("GET", f"/calls/{slug}/respond/", "start"), "start")
        for _ in range(12):
            path = urlsplit(page.url).path
            if page.status_code != 200:
                raise RuntimeError(f"{path} answered {page.status_code}")
            if path.endswith("/check-your-answers/"):
                self.steps.append(("check", path, None))
                break
            form = next(f for f in FormParser(page.text).forms if f["method"] == "post")
            data = fill(form, 1)
            self.steps.append((path.rstrip("/").rsplit("/", 1)[-1], path, data))
            if answered is not None and len(self.steps) > answered:
                break
            response = self.respondent.request("POST", path, "step", data=data)
            if response.status_code != 302:
                raise RuntimeError(f"{path} refused the answers ({response.status_code})")
            page = self.respondent.follow(response, "step")
        else:
            raise RuntimeError("the journey did not reach check your answers")
        jar = self.respondent.session.cookies
        self.cookie = "; ".join(f"{name}={value}" for name, value in jar.items())


def uncached_part(base, pages, returning, seconds, connections, rounds):
    """The public pages for someone mid-response (their session holds a journey): as they browse, from the page cache,
    and on a hard refresh (Cache-Control: no-cache), rendered afresh."""
    visited, targets = [], {}
    for name, path in pages:
        visited.append((name, path, {"cookie": returning.cookie}))
        visited.append((f"{name} (afresh)", path, {"cookie": returning.cookie, "fresh": True}))
        targets.update({name: CACHED_TARGET, f"{name} (afresh)": UNCACHED_TARGET})
    result = load.throughput(base, visited, seconds, connections, rounds)
    return {**result, "rows": load.throughput_rows(result, "SOMEONE MID-RESPONSE", targets=targets)}


def search_part(base, returning, seconds, connections, rounds, judged=True):
    """A search as anyone asks it and as someone mid-response asks it (both kept per query), and on a hard refresh
    (searched afresh)."""
    path = "/search/?" + urlencode({"q": SEARCH_QUERY})
    pages = [
        ("search", path),
        ("search (mid-response)", path, {"cookie": returning.cookie}),
        ("search (afresh)", path, {"cookie": returning.cookie, "fresh": True}),
    ]
    result = load.throughput(base, pages, seconds, connections, rounds)
    targets = {
        "search": CACHED_TARGET,
        "search (mid-response)": CACHED_TARGET,
        "search (afresh)": SEARCH_TARGET if judged else None,
    }
    return {**result, "rows": load.throughput_rows(result, "SEARCH", targets=targets)}


def steps_part(base, returning, slug, seconds, connections, rounds):
    """Each step of the journey. Its page as most respondents see it, on their first visit: each GET from a
    respondent who has answered the steps before it and not this one (the first step: no cookie at all). The same
    page coming back to it with answers in it (returning), and its answers sent again (POST, a redirect to the next
    step), from the respondent at check your answers."""
    pages = []
    for number, (step, path, data) in enumerate(returning.steps):
        if data is None:  # check your answers: only ever seen with every answer in it
            pages.append((f"GET {step}", path, {"cookie": returning.cookie}))
            continue
        first = {"cookie": Returning(base, slug, answered=number).cookie} if number else {}
        pages.append((f"GET {step}", path, first))
        pages.append((f"GET {step} (returning)", path, {"cookie": returning.cookie}))
        pages.append((f"POST {step}", path, {"cookie": returning.cookie, "body": urlencode(data, doseq=True)}))
    result = load.throughput(base, pages, seconds, connections, rounds)
    targets = {name: STEP_GET_TARGET if name.startswith("GET") else None for name, *_ in pages}
    return {**result, "rows": load.throughput_rows(result, "JOURNEY STEPS", targets=targets)}
