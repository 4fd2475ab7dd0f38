"""limitlab installs every way a person installs it, and the installed `limitlab` finds the
bundled scenarios: `pip install .`, `pip install -e .` (plain and strict) and `pipx install .`.

Each case copies the project to a temporary folder, makes a venv there and installs into it
from that copy with this environment's build backend (`--no-build-isolation`) and without
dependencies (`--no-deps`): the new venv sees this environment's libraries through a `.pth`
line, so nothing is downloaded and a case takes a few seconds. Set
LIMITLAB_SKIP_INSTALL_TESTS=1 to skip them locally; `make test` runs them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted(p.stem for p in (ROOT / "examples").glob("*.toml"))

#: How each case calls pip (`pip install ARGS SOURCE`); pipx is a non-editable install into a
#: venv of its own whose script is linked into a folder on PATH (~/.local/bin).
MODES: dict[str, list[str]] = {
    "pip-install": [],
    "pip-install-editable": ["-e"],
    "pip-install-editable-strict": ["--config-settings", "editable_mode=strict", "-e"],
    "pipx-install": [],
}

pytestmark = pytest.mark.skipif(
    os.environ.get("LIMITLAB_SKIP_INSTALL_TESTS") == "1",
    reason="LIMITLAB_SKIP_INSTALL_TESTS=1",
)


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def copy_of_the_project(to: Path) -> Path:
    """What a source distribution holds, without this worktree's build/ or egg-info."""
    to.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, to / name)
    for folder in ("core", "cli", "examples"):
        shutil.copytree(ROOT / folder, to / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return to


def venv_on_top_of_this_one(where: Path) -> Path:
    """A venv without pip whose only extra path is this environment's libraries (a plain path
    line: this environment's own `.pth` files, its limitlab among them, are not read)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", where], check=True)
    python = where / "bin" / "python"
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=where)
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    Path(purelib.stdout.strip(), "limitlab-test-deps.pth").write_text("\n".join(sorted(ours)))
    return python


@pytest.mark.parametrize("mode", MODES)
def test_the_installed_limitlab_finds_and_plays_the_bundled_scenarios(
    mode: str, tmp_path: Path
) -> None:
    source = copy_of_the_project(tmp_path / "src")
    venv = tmp_path / "venv"
    python = venv_on_top_of_this_one(venv)
    pip: list[str | Path] = [sys.executable, "-m", "pip", "--python", python, "install", "--quiet"]
    offline = ["--no-index", "--no-deps", "--no-build-isolation", "--check-build-dependencies"]
    installed = run(*pip, *offline, *MODES[mode], source, cwd=tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    limitlab = venv / "bin" / "limitlab"
    if mode == "pipx-install":
        (tmp_path / "bin").mkdir()
        (tmp_path / "bin" / "limitlab").symlink_to(limitlab)
        limitlab = tmp_path / "bin" / "limitlab"
    if "editable" not in mode:
        shutil.rmtree(source)  # the installed copy stands on its own

    where = run(
        python,
        "-c",
        "import json, limitlab.cli.bundled as b;"
        "print(json.dumps({n: str(p) for n, p in b.bundled_scenarios().items()}))",
        cwd=tmp_path,
    )
    assert where.returncode == 0, where.stderr
    found = json.loads(where.stdout)
    assert sorted(found) == BUNDLED
    # The scenarios come from this install, not from the worktree or this environment.
    expected_home = source if "editable" in mode else venv
    assert all(Path(p).is_relative_to(expected_home) for p in found.values()), found

    listed = run(limitlab, "scenario", "list", "--json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert [row["name"] for row in json.loads(listed.stdout)] == BUNDLED

    for args in (["scenario", "run", "overdue-spiral"], ["demo"]):
        db = tmp_path / f"{args[-1]}.db"
        played = run(limitlab, *args, "--db", db, cwd=tmp_path)
        assert played.returncode == 0, (args, played.stderr[-2000:])
        assert "Go on with:" in played.stdout + played.stderr, args
        assert db.is_file(), args

    unknown = run(limitlab, "scenario", "run", "no-such-lesson", cwd=tmp_path)
    assert unknown.returncode == 2, unknown.stderr
    assert "overdue-spiral" in unknown.stderr  # the message names the bundled ones
