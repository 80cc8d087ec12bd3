"""Fifty respondents answering a call at once, then the same while the database connections are killed."""

from server import ROOT

MISSING = "not measured: feature missing (the response journey is not in submissions/urls.py yet)"


def journey_available():
    urls = ROOT / "submissions" / "urls.py"
    return urls.exists() and "respond" in urls.read_text()


def journey_part(server):
    if not journey_available():
        return {"status": MISSING}
    raise NotImplementedError


def faults_part(server):
    if not journey_available():
        return {"status": MISSING}
    raise NotImplementedError
