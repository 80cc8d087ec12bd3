"""The lock files: every package at one exact version with its hashes, within the ranges people wrote in
requirements*.txt, the runtime the same in both locks, and the virtualenv the tests run in installed from them."""

import re
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
# "name==1.2.3 ; marker \" then "    --hash=sha256:..." lines, as uv pip compile --generate-hashes writes them.
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)\s*(?:;\s*(?P<marker>[^\\]+?))?\s*\\?$")


def pins(lock):
    """{name: [(version, marker, hashes)]} of a lock file (a package may be pinned once per Python version)."""
    found, current = {}, None
    for line in (ROOT / lock).read_text().splitlines():
        if match := PIN.match(line):
            current = (match["version"], match["marker"], [])
            found.setdefault(canonicalize_name(match["name"]), []).append(current)
        elif line.strip().startswith("--hash=sha256:") and current is not None:
            current[2].append(line.strip().removeprefix("--hash=sha256:").rstrip(" \\"))
        elif not line.startswith(" "):
            current = None
    return found


def requirements(path):
    """The requirements a person wrote in a requirements*.txt, following -r includes."""
    found = []
    for line in (ROOT / path).read_text().splitlines():
        line = line.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-r "):
            found += requirements(line.removeprefix("-r ").strip())
        else:
            found.append(Requirement(line))
    return found


def applies(marker):
    return marker is None or Marker(marker).evaluate()


@pytest.mark.parametrize(
    ("wanted", "lock"), [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")]
)
def test_every_requirement_is_locked_within_its_range(wanted, lock):
    locked = pins(lock)
    wrong = []
    for requirement in requirements(wanted):
        versions = [
            version for version, marker, _ in locked.get(canonicalize_name(requirement.name), []) if applies(marker)
        ]
        if not versions:
            wrong.append(f"{requirement.name} is not in {lock}")
        wrong += [
            f"{requirement} but {lock} has {v}"
            for v in versions
            if not requirement.specifier.contains(v, prereleases=True)
        ]
    assert not wrong, "\n".join(wrong) + "\nRun `make lock` and commit the lock files."


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_package_has_its_hashes(lock):
    locked = pins(lock)
    assert len(locked) > 20
    unhashed = [name for name, versions in locked.items() for _, _, hashes in versions if not hashes]
    assert not unhashed
    assert all(
        re.fullmatch(r"[0-9a-f]{64}", h) for versions in locked.values() for *_, hashes in versions for h in hashes
    )


def test_production_and_development_run_the_same_versions():
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")

    def versions(lock, name):
        return sorted(version for version, _, _ in lock.get(name, []))

    differ = {name: (versions(runtime, name), versions(dev, name)) for name in runtime}
    assert not {name: pair for name, pair in differ.items() if pair[0] != pair[1]}


def test_tools_that_decide_whether_the_tests_pass_are_pinned_exactly():
    wanted = {canonicalize_name(r.name): r for r in requirements("requirements-dev.txt")}
    for tool in ("ruff", "uv"):
        [spec] = list(wanted[tool].specifier)
        assert spec.operator == "==", f"{tool} must be pinned exactly: {wanted[tool]}"


def test_the_virtualenv_is_the_dev_lock():
    """make install syncs .venv to the lock whenever a lock changes: what runs the tests is what is locked."""
    wrong = []
    for name, versions in pins("requirements-dev.lock").items():
        for version, marker, _ in versions:
            if not applies(marker):
                continue
            try:
                installed = metadata.version(name)
            except metadata.PackageNotFoundError:
                wrong.append(f"{name} {version} is not installed")
                continue
            if Version(installed) != Version(version):
                wrong.append(f"{name}: {installed} installed, {version} locked")
    assert not wrong, "\n".join(wrong) + "\nRun `make install`."


def test_make_installs_from_the_locks_with_hash_checking_whenever_they_change():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^\$\(BIN\)/\.installed: requirements\.lock requirements-dev\.lock$", makefile, re.M)
    assert "pip sync --quiet --require-hashes" in makefile
    assert "pip install --quiet --require-hashes --no-deps" in makefile
    assert "UV_PYTHON_DOWNLOADS := never" in makefile
