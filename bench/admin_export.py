"""The staff side with 100,000 responses: the admin responses list, and an export's memory."""

from server import ROOT


def admin_available():
    admin = ROOT / "submissions" / "admin.py"
    return admin.exists() and "Submission" in admin.read_text() and (ROOT / "bench" / "seed_responses.py").exists()


def export_available():
    return (ROOT / "submissions" / "exports.py").exists() and (ROOT / "bench" / "seed_responses.py").exists()


def admin_part(server):
    if not admin_available():
        return {"status": "not measured: feature missing (submissions admin or bench/seed_responses.py)"}
    raise NotImplementedError


def export_part(server):
    if not export_available():
        return {"status": "not measured: feature missing (submissions/exports.py or bench/seed_responses.py)"}
    raise NotImplementedError
