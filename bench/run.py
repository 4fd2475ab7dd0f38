"""limitlab benchmarks (`make bench`): whole-process wall time and peak RSS, as ratios.

Everything is measured in one run against a floor measured in the same run: a bare
`python -c "import typer, rich.table, rich.console, pydantic, sqlite_utils"`. Each figure is
the median of several runs of a real process (the installed `limitlab` console script). The
start-up commands run in the same rounds as the floor, and their ratios are the median of the
round-by-round ratios (see `paired_check`). Peak RSS comes from the kernel's accounting of
that one child (`os.wait4`), started by a small launcher process so that the bench's own
memory does not count (see LAUNCHER).

History scale uses an account with ten simulated years of activity (a loan a week, paydays,
some overdue), built quickly by driving `Store` directly rather than spawning thousands of
processes. Results are printed as a table and written to bench/results.json.

    .venv/bin/python bench/run.py [--runs N] [--years N] [--check]

`--check` exits 1 when a target is missed (by default the table is only reported).
Speed targets live here only; the tests never time anything.
"""

from __future__ import annotations

import argparse
import json
import operator
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
LIMITLAB = str(BIN / "limitlab")
FLOOR = [sys.executable, "-c", "import typer, rich.table, rich.console, pydantic, sqlite_utils"]
# Not a target, a reference: what typer 0.29 itself costs per run of a one-option app. It builds
# a pydantic TypeAdapter for every parameter it parses, which the import-only floor never pays.
TYPER_APP = """
import typer, rich.table, rich.console, pydantic, sqlite_utils
app = typer.Typer()
@app.command()
def status(db: str = "x", lang: str | None = None, json: bool = False) -> None:
    rich.console.Console().print(rich.table.Table("a", "b"))
app()
"""
TYPER_FLOOR = [sys.executable, "-c", TYPER_APP, "--db", "y"]
START = date(2026, 1, 5)


# --- measuring one process -------------------------------------------------------------------


@dataclass
class Case:
    """A command measured `runs` times; `prepare` runs (untimed) before each run."""

    name: str
    argv: list[str]
    prepare: Callable[[], None] | None = None
    warm_up: bool = True
    walls: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def rss(self) -> float:
        return statistics.median(self.rss_kb)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIMITLAB_")}
    env.update({"NO_COLOR": "1", "COLUMNS": "120", "LIMITLAB_LANG": "en"})
    return env


#: Every measured process is started by this small launcher, not by the bench itself: on Linux
#: a child's peak RSS includes its parent's RSS at fork (the memory it was forked with), and the
#: bench holds ten years of history by then. The launcher is a few MB, below anything measured.
LAUNCHER = r"""
import json, os, subprocess, sys, time
for line in sys.stdin:
    job = json.loads(line)
    start = time.perf_counter()
    proc = subprocess.Popen(job["argv"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=job["env"])
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    print(json.dumps({"wall": wall, "rss_kb": usage.ru_maxrss, "code": code}), flush=True)
"""


class Launcher:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-S", "-c", LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, argv: list[str]) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"argv": argv, "env": _env()}) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())  # type: ignore[no-any-return]

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait()


_launcher: Launcher | None = None


def run_once(argv: list[str]) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KiB) of one process; its output is discarded."""
    assert _launcher is not None, "start the launcher first"
    result = _launcher.run(argv)
    if result["code"] != 0:
        check = subprocess.run(argv, capture_output=True, text=True, env=_env(), check=False)
        raise SystemExit(
            f"bench: {' '.join(argv)} exited {result['code']}:\n{check.stderr or check.stdout}"
        )
    return result["wall"], result["rss_kb"]  # Linux: KiB


def measure(cases: list[Case], runs: int) -> None:
    """An untimed warm-up each (unless the case is long), then `runs` rounds, interleaved so
    that drift hits every case alike, each round in a new order (seeded) so that no case always
    follows the same neighbour (a heavy process before it leaves caches and clocks behind)."""
    for case in [c for c in cases if c.warm_up]:
        if case.prepare:
            case.prepare()
        run_once(case.argv)
    order = random.Random(2026)
    for _ in range(runs):
        for case in order.sample(cases, len(cases)):
            if case.prepare:
                case.prepare()
            wall, rss = run_once(case.argv)
            case.walls.append(wall)
            case.rss_kb.append(rss)


# --- building accounts -----------------------------------------------------------------------


def _open_command() -> Any:
    from limitlab.core import commands as c
    from limitlab.core.model import Profile
    from limitlab.core.policy import DEFAULT_POLICY, policy_to_dict

    profile = Profile(
        monthly_income_fen=800_000,
        monthly_expenses_fen=500_000,
        employment_months=36,
        verified=True,
        social_insurance=True,
        trust=60,
        payday=10,
    )
    return c.Open(profile, 100_000, START, policy_to_dict(DEFAULT_POLICY))


def fresh_account(path: Path) -> None:
    """What `limitlab init --start 2026-01-05` makes."""
    from limitlab.core.policy import DEFAULT_POLICY
    from limitlab.core.service import create_account

    create_account(str(path), _open_command(), DEFAULT_POLICY)


def active_account(path: Path) -> None:
    """A fresh account with a live 12-month loan (autopay, paydays and reviews to do)."""
    from limitlab.core import commands as c
    from limitlab.core.policy import DEFAULT_POLICY
    from limitlab.core.service import create_account, execute
    from limitlab.core.store import Store

    create_account(str(path), _open_command(), DEFAULT_POLICY)
    with Store.open(str(path)) as store:
        execute(store, c.Borrow(1_000_000, 12, "equal-installment"))


def every_cause_account(path: Path) -> None:
    """The worst account for `why`: every cause present at once — own loans, a live overdue on
    two loans, a past bureau record, other lenders, an income drop, recent applications with a
    live cool-off, a platform tightening and maintenance (EVERY_CAUSE, checked by
    `check_every_cause`) — so the attribution plays the most counterfactual reviews and the
    advice the most simulations. The applications are made while something is available (a
    request above what is available, or while suspended, is no application)."""
    from limitlab.core import commands as c
    from limitlab.core.model import Profile
    from limitlab.core.policy import DEFAULT_POLICY, policy_to_dict
    from limitlab.core.service import create_account, execute
    from limitlab.core.store import Store

    profile = Profile(800_000, 800_000, 36, True, True, 60, 10)  # paydays add nothing
    create_account(
        str(path), c.Open(profile, 0, START, policy_to_dict(DEFAULT_POLICY)), DEFAULT_POLICY
    )
    with Store.open(str(path)) as store:
        commands: list[Any] = [
            c.Borrow(1_150_000, 12, "equal-installment"),
            c.Borrow(50_000, 6, "equal-principal"),
            c.Advance(date(2026, 2, 10)),  # installment 1 reported at 4 days late
            c.Wallet("deposit", 300_000),
            c.Repay("overdue"),  # the record stays: a past overdue
            lambda state: c.Wallet("withdraw", state.wallet_fen),
            c.Advance(date(2026, 2, 24)),
            # repay down to ¥400 under the limit, then three applications of ¥100 within what is
            # available: a cool-off to 2026-03-10
            lambda state: c.Wallet("deposit", _room_to_borrow(state)),
            lambda state: c.Repay("amount", state.wallet_fen, loan_id=1),  # loan 2 stays
            *[c.Borrow(10_000, 3, "equal-installment")] * 3,
            lambda state: c.Wallet("withdraw", state.wallet_fen),
            c.ExternalAdd("Huabei", 300_000, 15_000),
            c.ExternalAdd("JD", 200_000, 10_000),
            c.ExternalAdd("WeLoan", 400_000, 20_000),
            c.SetProfile(monthly_income_fen=500_000),  # an income drop
            c.Advance(date(2026, 3, 7)),  # installments due 2026-03-05 unpaid: live overdue
            c.Tighten(Decimal("0.8"), 30, None),
            c.Maintenance(2),
        ]
        for command in commands:
            execute(store, command)


def _room_to_borrow(state: Any) -> int:
    """The cash that repays enough to leave ¥400 available: principal above the limit, the
    interest accrued so far (paid first) and ¥400."""
    interest = sum(loan.principal_fen for loan in state.loans) // 100  # more than accrued
    return max(state.used_fen - state.limit_fen, 0) + interest + 40_000


#: The reasons `why` must give on the every-cause account (OVERDUE once per overdue loan).
EVERY_CAUSE = {
    "OVERDUE": 2,
    "MAINTENANCE": 1,
    "FREQUENT_APPLICATIONS": 1,
    "USED_BY_LOANS": 1,
    "CREDIT_RECORD": 1,
    "MULTI_LENDER": 1,
    "INCOME_DROP": 1,
    "PLATFORM_POLICY": 1,
}


def check_every_cause(path: Path) -> list[str]:
    """The codes of the reasons `limitlab why` gives on the every-cause account; exits when one
    of EVERY_CAUSE is missing (the bench would time a lighter account than it says)."""
    out = subprocess.run(
        [LIMITLAB, "--db", str(path), "why", "--json"],
        capture_output=True,
        text=True,
        env=_env(),
        check=True,
    )
    codes = [r["code"] for r in json.loads(out.stdout)["reasons"]]
    missing = {code: n for code, n in EVERY_CAUSE.items() if codes.count(code) < n}
    if missing:
        raise SystemExit(f"bench: the every-cause account lacks {missing} (why gives {codes})")
    return codes


def decade_account(path: Path, years: int) -> dict[str, Any]:
    """`years` of weekly life: a loan application every week (terms and methods rotating),
    paydays, and twice a year a missed payment (the wallet spent before a due date, overdue
    past the grace period for weeks, then repaid)."""
    from limitlab.core import commands as c
    from limitlab.core.engine import DomainError
    from limitlab.core.policy import DEFAULT_POLICY
    from limitlab.core.service import create_account, execute
    from limitlab.core.store import Store

    started = time.perf_counter()
    state = create_account(str(path), _open_command(), DEFAULT_POLICY).state
    store = Store.open(str(path))
    end = START + timedelta(days=round(years * 365.25))
    terms = (3, 6, 12)
    methods = ("equal-installment", "equal-principal", "interest-first")
    granted = refused = overdue = week = 0
    try:
        while state.today < end:
            amount = 50_000 + (week * 37_000) % 150_000  # ¥500 … ¥2,000
            outcome = execute(
                store, c.Borrow(amount, terms[week % 3], methods[week // 3 % 3])
            ).outcome
            state = outcome.state
            granted += outcome.refusal is None
            refused += outcome.refusal is not None
            if week % 26 == 13 and state.loans:
                # miss a payment: spend the wallet, let due dates pass, then catch up
                cash = state.wallet_fen
                if cash:
                    execute(store, c.Wallet("withdraw", cash))
                state = execute(store, c.Advance(min(end, state.today + timedelta(days=35)))).state
                execute(store, c.Wallet("deposit", cash + 500_000))
                try:
                    state = execute(store, c.Repay("overdue")).state
                    overdue += 1
                except DomainError:
                    pass
            else:
                state = execute(store, c.Advance(min(end, state.today + timedelta(days=7)))).state
            week += 1
    finally:
        store.close()
    with sqlite3.connect(path) as conn:
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("commands", "events", "loans", "installments", "limit_changes")
        }
    return {
        "build_seconds": round(time.perf_counter() - started, 2),
        "loans_granted": granted,
        "applications_refused": refused,
        "overdue_episodes": overdue,
        "first_day": START.isoformat(),
        "last_day": state.today.isoformat(),
        "rows": counts,
    }


def db_bytes(path: Path) -> int:
    return sum(os.path.getsize(p) for p in (path, Path(f"{path}-wal")) if os.path.exists(p))


# --- the report ------------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    target: str
    measured: str
    ok: bool | None  # None: reported, no target

    def row(self) -> dict[str, Any]:
        return {"check": self.name, "target": self.target, "measured": self.measured, "ok": self.ok}


def ratio_check(name: str, value: float, base: float, limit: float, base_name: str) -> Check:
    """`value` (seconds, or KiB for RSS) against `limit` × `base`."""
    r = value / base
    shown = f"{value / 1024:.1f} MB" if "RSS" in name else f"{value * 1000:.0f} ms"
    return Check(name, f"≤ {limit:g}× {base_name}", f"{r:.2f}× ({shown})", r <= limit)


def paired_check(name: str, case: Case, base: Case, limit: float, base_name: str) -> Check:
    """`case` against `limit` × `base`, both timed in the same rounds: the median of the
    round-by-round ratios. Another tenant's load on a shared machine comes and goes over
    seconds; within one round (a few seconds) both sides meet the same load, so pairing cancels
    most of it, where a ratio of two medians would carry it twice."""
    ratios = [a / b for a, b in zip(case.walls, base.walls, strict=True)]
    r = statistics.median(ratios)
    shown = f"{case.wall * 1000:.0f} ms"
    return Check(name, f"≤ {limit:g}× {base_name}", f"{r:.2f}× ({shown})", r <= limit)


def print_table(checks: list[Check]) -> None:
    headers = ("check", "target", "measured", "result")
    rows = [
        (ch.name, ch.target, ch.measured, "-" if ch.ok is None else ("pass" if ch.ok else "FAIL"))
        for ch in checks
    ]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)).rstrip()

    print(line(headers))
    print(line(tuple("-" * w for w in widths)))
    for r in rows:
        print(line(r))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="runs per command (median)")
    parser.add_argument("--heavy-runs", type=int, default=5, help="runs of advance and verify")
    parser.add_argument("--years", type=int, default=10, help="simulated years of history")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--out", default=str(HERE / "results.json"))
    args = parser.parse_args()
    started = time.perf_counter()
    global _launcher
    _launcher = Launcher()  # while the bench is still small (see LAUNCHER)
    try:
        return _bench(args, started)
    finally:
        _launcher.close()


def _bench(args: argparse.Namespace, started: float) -> int:

    with tempfile.TemporaryDirectory(prefix="limitlab-bench-") as tmp:
        work = Path(tmp)
        fresh, active, decade = work / "fresh.db", work / "active.db", work / "decade.db"
        advancing, worst = work / "advancing.db", work / "every-cause.db"
        fresh_account(fresh)
        active_account(active)
        every_cause_account(worst)
        causes = check_every_cause(worst)
        print(f"building {args.years} simulated years of history …", flush=True)
        history = decade_account(decade, args.years)
        fresh_size, decade_size = db_bytes(fresh), db_bytes(decade)

        def lim(db: Path, *rest: str) -> list[str]:
            return [LIMITLAB, "--db", str(db), *rest]

        floor = Case("floor: import typer, rich, pydantic, sqlite_utils", FLOOR)
        typer_floor = Case("reference: a one-command typer app", TYPER_FLOOR)
        startup = [
            floor,
            typer_floor,
            Case("limitlab --help", [LIMITLAB, "--help"]),
            Case("status (fresh)", lim(fresh, "status")),
            Case("why (fresh)", lim(fresh, "why")),
            Case("why (every cause)", lim(worst, "why")),
            Case("status (decade)", lim(decade, "status")),
            Case("why (decade)", lim(decade, "why")),
        ]
        print(f"start-up and reads: {args.runs} runs each …", flush=True)
        measure(startup, args.runs)
        heavy = [
            Case(
                "advance --days 3650 (active)",
                lim(advancing, "advance", "--days", "3650"),
                prepare=lambda: shutil.copyfile(active, advancing),
            ),
            Case("verify (decade)", lim(decade, "verify"), warm_up=False),
        ]
        print(f"advance and verify: {args.heavy_runs} runs each …", flush=True)
        measure(heavy, args.heavy_runs)

    cases = {c.name: c for c in [*startup, *heavy]}
    f_wall, f_rss = floor.wall, floor.rss
    help_, st, wy = cases["limitlab --help"], cases["status (fresh)"], cases["why (fresh)"]
    st10, wy10 = cases["status (decade)"], cases["why (decade)"]
    worst = cases["why (every cause)"]
    adv, ver = cases["advance --days 3650 (active)"], cases["verify (decade)"]
    mb = 1024 * 1024
    checks = [
        Check(
            "floor wall time / peak RSS",
            "-",
            f"{f_wall * 1000:.0f} ms / {f_rss / 1024:.1f} MB",
            None,
        ),
        paired_check("--help time", help_, floor, 0.8, "floor"),
        paired_check("status time (fresh)", st, floor, 1.0, "floor"),
        paired_check("why time (fresh)", wy, floor, 1.0, "floor"),
        paired_check("why time (every cause)", worst, floor, 1.0, "floor"),
        ratio_check("status RSS (fresh)", st.rss, f_rss, 1.1, "floor"),
        ratio_check("why RSS (fresh)", wy.rss, f_rss, 1.1, "floor"),
        ratio_check("why RSS (every cause)", worst.rss, f_rss, 1.1, "floor"),
        paired_check("status time (decade)", st10, st, 1.2, "fresh"),
        paired_check("why time (decade)", wy10, wy, 1.2, "fresh"),
        ratio_check("status RSS (decade)", st10.rss, f_rss, 1.1, "floor"),
        ratio_check("why RSS (decade)", wy10.rss, f_rss, 1.1, "floor"),
        ratio_check("advance --days 3650 time", adv.wall, f_wall, 5.0, "floor"),
        ratio_check("advance --days 3650 RSS", adv.rss, f_rss, 2.0, "floor"),
        ratio_check("verify (decade) time", ver.wall, f_wall, 20.0, "floor"),
        ratio_check("verify (decade) RSS", ver.rss, f_rss, 2.0, "floor"),
        Check("decade database size", "-", f"{decade_size / mb:.2f} MB", None),
        Check(
            "growth per simulated year",
            "-",
            f"{(decade_size - fresh_size) / args.years / mb:.3f} MB",
            None,
        ),
    ]
    print()
    print_table(checks)
    print()
    print("medians: " + ", ".join(f"{c.name} {c.wall * 1000:.0f} ms" for c in cases.values()))
    print(
        f"reference: a one-command typer app takes {typer_floor.wall / f_wall:.2f}× the floor "
        f"({typer_floor.wall * 1000:.0f} ms, {typer_floor.rss / 1024:.1f} MB): typer's own cost "
        "of parsing, which every limitlab command pays too"
    )
    print(
        f"decade: {history['rows']['commands']} commands, {history['rows']['events']} events, "
        f"built in {history['build_seconds']} s"
    )
    missed = [ch.name for ch in checks if ch.ok is False]
    print(
        f"{len(missed)} of {sum(ch.ok is not None for ch in checks)} targets missed"
        + (": " + "; ".join(missed) if missed else "")
    )

    results = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "environment": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "sqlite": sqlite3.sqlite_version,
            "cpus": os.cpu_count(),
        },
        "runs": args.runs,
        "heavy_runs": args.heavy_runs,
        "floor": {
            "argv": FLOOR[1:],
            "wall_ms": round(f_wall * 1000, 1),
            "rss_mb": round(f_rss / 1024, 1),
        },
        "commands": {
            name: {
                "wall_ms": round(c.wall * 1000, 1),
                "rss_mb": round(c.rss / 1024, 1),
                "wall_ratio": round(c.wall / f_wall, 3),
                "paired_ratio": (
                    round(statistics.median(map(operator.truediv, c.walls, floor.walls)), 3)
                    if len(c.walls) == len(floor.walls)
                    else None
                ),
                "rss_ratio": round(c.rss / f_rss, 3),
                "samples_ms": [round(w * 1000, 1) for w in c.walls],
            }
            for name, c in cases.items()
        },
        "history": {
            **history,
            "years": args.years,
            "db_mb": round(decade_size / mb, 3),
            "fresh_db_mb": round(fresh_size / mb, 3),
            "growth_mb_per_year": round((decade_size - fresh_size) / args.years / mb, 4),
        },
        "every_cause_reasons": causes,
        "checks": [ch.row() for ch in checks],
        "missed": missed,
        "bench_seconds": round(time.perf_counter() - started, 1),
    }
    Path(args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {args.out} ({results['bench_seconds']} s)")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
