"""Start-up cost: a command loads only what it needs (checked in `sys.modules`, never timed).

`--help` must not load the database layer or the engine; reading commands go through sqlite3
directly and must not load sqlite-utils (it is for writes), nor pydantic (Typer's coercion is
bypassed for plain values, cli/typer_ext.py). The help screen is ours: no markdown-it, no
pygments. The speed itself is measured in bench/ (`make bench`), not here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

MARKER = "--- modules ---"

PROBE = """
import json, sys
sys.argv = ["limitlab", *json.loads(sys.argv[1])]
from limitlab.cli.main import main
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print(MARKER)
print(json.dumps({"exit": code, "modules": sorted(sys.modules)}))
""".replace("MARKER", repr(MARKER))


def loaded_modules(*args: str, env: dict[str, str] | None = None) -> set[str]:
    """Run `limitlab ARGS` in a fresh interpreter; the modules it had loaded at exit."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        env=env or dict(os.environ),
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert MARKER in result.stdout, result.stderr
    report = json.loads(result.stdout.split(MARKER, 1)[1])
    assert report["exit"] in (0, None), result.stderr
    return set(report["modules"])


def _under(modules: set[str], *packages: str) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in packages))


@pytest.fixture(scope="module")
def account(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("startup") / "account.db"
    result = subprocess.run(
        [Path(sys.executable).parent / "limitlab", "--db", db, "init", "--start", "2026-01-05"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return db


def test_help_loads_neither_the_database_layer_nor_the_engine() -> None:
    modules = loaded_modules("--help")
    assert "limitlab.cli.main" in modules  # the probe really ran the CLI
    assert _under(modules, "sqlite_utils") == []
    assert "limitlab.core.store" not in modules
    assert "limitlab.core.engine" not in modules


def test_help_loads_no_pydantic() -> None:
    """Nothing `--help` shows needs validation (the issue: no pydantic it does not need)."""
    assert _under(loaded_modules("--help"), "pydantic", "pydantic_core") == []


def test_help_loads_neither_markdown_nor_pygments() -> None:
    """Typer's own help screen imports both at module level; ours draws with rich tables."""
    for args in (("--help",), ("borrow", "--help"), ("--lang", "zh", "scenario", "-h")):
        modules = loaded_modules(*args)
        assert _under(modules, "typer.rich_utils", "markdown_it", "pygments") == [], args


@pytest.mark.parametrize("command", ["status", "why"])
def test_reading_commands_load_no_pydantic(account: Path, command: str) -> None:
    """Typer would build a pydantic TypeAdapter per parameter; `--db PATH` and the flags are
    plain values, coerced without it."""
    modules = loaded_modules("--db", str(account), command, "--lang", "en")
    assert "limitlab.core.store" in modules
    assert _under(modules, "pydantic", "pydantic_core", "typer._adapters") == []


@pytest.mark.parametrize("command", ["status", "why"])
def test_reading_commands_do_not_load_sqlite_utils(account: Path, command: str) -> None:
    modules = loaded_modules("--db", str(account), command)
    assert "limitlab.core.store" in modules  # it did read the account
    assert _under(modules, "sqlite_utils") == []


@pytest.mark.parametrize("command", ["status", "why"])
def test_reading_commands_do_not_load_the_engine(account: Path, command: str) -> None:
    """Reading the state needs no command codecs and no engine (they load on writes)."""
    modules = loaded_modules("--db", str(account), command)
    assert "limitlab.core.engine" not in modules
    assert "limitlab.core.commands" not in modules


def test_every_command_is_registered_with_typer() -> None:
    """Commands are registered the plain way, so shell completion and Typer's own tooling see
    every one of them."""
    import typer.main
    from limitlab.cli.main import COMMANDS, GROUPS, app

    root = typer.main.get_command(app)
    names = {name for group, name, _, _ in COMMANDS if group is app}
    assert set(root.commands) == names | {name for _, name in GROUPS}  # type: ignore[attr-defined]
    assert len(app.registered_commands) == len(names)


@pytest.mark.parametrize("command", ["status", "why"])
def test_reading_commands_do_not_load_the_plotting_libraries(account: Path, command: str) -> None:
    """matplotlib and Pillow are for `chart --export` and .png exports only."""
    modules = loaded_modules("--db", str(account), command)
    assert _under(modules, "matplotlib", "PIL", "plotext", "numpy") == []
