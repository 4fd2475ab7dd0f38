"""The store: one SQLite file per simulated person, through sqlite-utils.

The command log is the truth; the events it produced, the current state and query-friendly
tables (loans, installments, limit_changes, score_history, …) are written beside it in one
transaction per command. `verify` replays the log into an empty database and compares.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import AccountState, Event, Loan, from_jsonable, to_jsonable
from .policy import DEFAULT_POLICY, Policy, policy_from_stored, policy_to_dict

if TYPE_CHECKING:
    import sqlite_utils

    from . import commands as c
    from .engine import Outcome

# The engine and the command codecs are imported where a command is written or replayed, so
# that reading commands (status, why, …) do not pay for loading them.

APP_ID = "limitlab"
SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = 30.0
#: The largest integer SQLite stores; a bigger id or count cannot exist there.
SQLITE_MAX_INT = 2**63 - 1

#: Business tables, compared by `verify` (everything a command writes).
BUSINESS_TABLES = (
    "commands",
    "events",
    "state",
    "policy",
    "loans",
    "installments",
    "limit_changes",
    "score_history",
    "external_loans",
    "platform_measures",
)


class StoreError(Exception):
    """The database cannot be used: `code` is missing, not_limitlab, damaged, newer, exists,
    or unwritable; `path` is the file."""

    def __init__(self, code: str, path: str, detail: str = "") -> None:
        super().__init__(f"{code}: {path} {detail}".strip())
        self.code = code
        self.path = path
        self.detail = detail


def _migrations() -> sqlite_utils.Migrations:
    """The schema's migrations (sqlite-utils is loaded only by code that writes)."""
    import sqlite_utils

    migrations = sqlite_utils.Migrations(APP_ID)

    @migrations()
    def m001_initial(db: sqlite_utils.Database) -> None:
        db["meta"].create({"key": str, "value": str}, pk="key")  # type: ignore[union-attr]
        db["commands"].create(  # type: ignore[union-attr]
            {"id": int, "on_date": str, "kind": str, "args": str, "result": str}, pk="id"
        )
        db["events"].create(  # type: ignore[union-attr]
            {"id": int, "command_id": int, "on_date": str, "kind": str, "data": str},
            pk="id",
            foreign_keys=[("command_id", "commands", "id")],
        )
        db["events"].create_index(["kind", "on_date"])  # type: ignore[union-attr]
        db["state"].create({"id": int, "today": str, "data": str}, pk="id")  # type: ignore[union-attr]
        db["policy"].create({"id": int, "data": str}, pk="id")  # type: ignore[union-attr]
        db["loans"].create(  # type: ignore[union-attr]
            {
                "id": int,
                "drawn_on": str,
                "principal_fen": int,
                "method": str,
                "term": int,
                "daily_rate": str,
                "outstanding_principal_fen": int,
                "status": str,
                "closed_on": str,
            },
            pk="id",
        )
        db["installments"].create(  # type: ignore[union-attr]
            {
                "loan_id": int,
                "seq": int,
                "period_start": str,
                "due_date": str,
                "principal_fen": int,
                "interest_fen": int,
                "penalty_fen": int,
                "principal_paid_fen": int,
                "interest_paid_fen": int,
                "penalty_paid_fen": int,
                "paid_on": str,
                "max_dpd": int,
                "reported_on": str,
            },
            pk=("loan_id", "seq"),
            foreign_keys=[("loan_id", "loans", "id")],
        )
        db["limit_changes"].create(  # type: ignore[union-attr]
            {
                "event_id": int,
                "on_date": str,
                "trigger": str,
                "old_limit_fen": int,
                "new_limit_fen": int,
                "score": int,
                "base_fen": int,
                "binding": str,
                "codes": str,
                "daily_rate": str,
            },
            pk="event_id",
            foreign_keys=[("event_id", "events", "id")],
        )
        db["score_history"].create(  # type: ignore[union-attr]
            {
                "event_id": int,
                "on_date": str,
                "old_score": int,
                "new_score": int,
                "attributes": str,
            },
            pk="event_id",
            foreign_keys=[("event_id", "events", "id")],
        )
        db["external_loans"].create(  # type: ignore[union-attr]
            {"lender": str, "balance_fen": int, "monthly_fen": int, "added_on": str}, pk="lender"
        )
        db["platform_measures"].create(  # type: ignore[union-attr]
            {
                "id": int,
                "kind": str,
                "starts_on": str,
                "ends_on": str,
                "factor": str,
                "cohort": str,
            },
            pk="id",
        )

    return migrations


def _connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


@dataclass
class Loaded:
    state: AccountState
    policy: Policy


class Store:
    """One account's database."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self._db: sqlite_utils.Database | None = None

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection, for writes (reads use `conn` directly)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._db

    # --- opening ------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str) -> Store:
        """An existing account; StoreError when missing, foreign, damaged or newer."""
        if not os.path.exists(path):
            raise StoreError("missing", path)
        if os.path.isdir(path):
            raise StoreError("not_limitlab", path)
        if not _whole_pages(path):
            raise StoreError(
                "damaged", path, "the file is not a whole number of pages (truncated?)"
            )
        conn: sqlite3.Connection | None = None
        try:
            conn = _connect(path)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                conn.close()
                raise StoreError("newer", path, f"schema {version} > {SCHEMA_VERSION}")
            tables = {
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if "meta" not in tables or conn.execute(
                "SELECT value FROM meta WHERE key = 'app'"
            ).fetchone() != (APP_ID,):
                conn.close()
                raise StoreError("not_limitlab", path)
            store = cls(conn, path)
            if version < SCHEMA_VERSION:
                store._migrate()
            if (
                "state" not in tables
                or conn.execute("SELECT count(*) FROM state").fetchone()[0] != 1
            ):
                raise StoreError("damaged", path, "no account state")
            return store
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
            code = "unwritable" if _is_io_problem(exc) else "damaged"
            raise StoreError(code, path, str(exc)) from None

    @classmethod
    def create(
        cls, path: str, command: c.Open, policy: Policy, *, force: bool = False
    ) -> tuple[Store, Outcome]:
        """A new account at `path` (refused when one exists unless `force`)."""
        if os.path.exists(path) and not force:
            raise StoreError("exists", path)
        from .engine import open_account

        outcome = open_account(command, policy)
        parent = Path(path).parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".limitlab-", suffix=".db", dir=parent)
            os.close(fd)
        except OSError as exc:
            raise StoreError("unwritable", path, str(exc)) from None
        try:
            store = cls(_connect(tmp), tmp)
            db = store.db
            store._migrate()
            with store.transaction():
                db["meta"].insert_all(  # type: ignore[union-attr]
                    [
                        {"key": "app", "value": APP_ID},
                        {"key": "schema", "value": str(SCHEMA_VERSION)},
                    ]
                )
                db["policy"].insert({"id": 1, "data": _dumps(policy_to_dict(policy))})  # type: ignore[union-attr]
                store._record(command, None, outcome)
            db.execute("PRAGMA journal_mode = WAL").fetchall()
            db.close()
            for suffix in ("-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)
            os.replace(tmp, path)
        except BaseException:
            for leftover in (tmp, tmp + "-wal", tmp + "-shm"):
                if os.path.exists(leftover):
                    os.remove(leftover)
            raise
        return cls.open(path), outcome

    def _migrate(self) -> None:
        _migrations().apply(self.db)
        self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction that takes the write lock first, so two shells never lose an
        update (the second waits for the busy timeout instead of failing on upgrade). Inside
        an open transaction it is a savepoint, so several commands can commit as one."""
        if self.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            with self.db.atomic():
                yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # --- reading ------------------------------------------------------------------------------

    def load(self) -> Loaded:
        row = self.conn.execute("SELECT data FROM state WHERE id = 1").fetchone()
        policy_row = self.conn.execute("SELECT data FROM policy WHERE id = 1").fetchone()
        if row is None or policy_row is None:
            raise StoreError("damaged", self.path, "no account state")
        try:
            state = from_jsonable(AccountState, json.loads(row[0]))
            policy = policy_from_stored(json.loads(policy_row[0]))
        except (ValueError, TypeError, KeyError) as exc:
            raise StoreError("damaged", self.path, f"state unreadable: {exc}") from None
        return Loaded(state, policy)

    def events(
        self,
        kinds: list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
    ) -> list[Event]:
        where, params = ["1"], []
        if kinds:
            where.append(f"kind IN ({','.join('?' * len(kinds))})")
            params += kinds
        if since:
            where.append("on_date >= ?")
            params.append(since)
        if until:
            where.append("on_date <= ?")
            params.append(until)
        sql = f"SELECT on_date, kind, data FROM events WHERE {' AND '.join(where)} ORDER BY id"
        if limit:
            newest = sql.replace("ORDER BY id", "ORDER BY id DESC")
            sql = f"SELECT * FROM ({newest} LIMIT {min(int(limit), SQLITE_MAX_INT)}) ORDER BY rowid"
        rows = self.conn.execute(sql, params).fetchall()
        from datetime import date

        return [Event(date.fromisoformat(r[0]), r[1], json.loads(r[2])) for r in rows]

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def loan(self, loan_id: int) -> Loan | None:
        """A loan as stored, live or paid off, with its installments."""
        if not 0 < loan_id <= SQLITE_MAX_INT:
            return None
        state = self.load().state
        for loan in state.loans:
            if loan.id == loan_id:
                return loan
        row = self.rows("SELECT * FROM loans WHERE id = ?", (loan_id,))
        if not row:
            return None
        from datetime import date
        from decimal import Decimal

        from .model import Installment

        r = row[0]
        insts = [
            Installment(
                seq=i["seq"],
                period_start=date.fromisoformat(i["period_start"]),
                due_date=date.fromisoformat(i["due_date"]),
                principal_fen=i["principal_fen"],
                interest_fen=i["interest_fen"],
                penalty_fen=i["penalty_fen"],
                principal_paid_fen=i["principal_paid_fen"],
                interest_paid_fen=i["interest_paid_fen"],
                penalty_paid_fen=i["penalty_paid_fen"],
                paid_on=date.fromisoformat(i["paid_on"]) if i["paid_on"] else None,
                max_dpd=i["max_dpd"],
            )
            for i in self.rows(
                "SELECT * FROM installments WHERE loan_id = ? ORDER BY seq", (loan_id,)
            )
        ]
        return Loan(
            r["id"],
            r["principal_fen"],
            r["method"],
            r["term"],
            Decimal(r["daily_rate"]),
            date.fromisoformat(r["drawn_on"]),
            insts,
            date.fromisoformat(r["closed_on"]) if r["closed_on"] else None,
        )

    # --- writing ------------------------------------------------------------------------------

    def execute(
        self,
        command: c.Command | Callable[[AccountState], c.Command],
        new_policy: Policy | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Outcome:
        """Apply a command in one transaction; record it only when something happened.

        `command` may be a function of the current state (e.g. "advance 3 days from today"),
        so that what it means is decided inside the write lock, never from a stale read.
        """
        from .engine import apply

        with self.transaction():
            loaded = self.load()
            if callable(command):
                command = command(loaded.state)
            policy = new_policy or loaded.policy
            outcome = apply(loaded.state, policy, command, progress)
            if os.environ.get("LIMITLAB_DEBUG"):
                from .invariants import InvariantError, check

                problems = check(outcome.state, policy)
                if problems:
                    raise InvariantError("; ".join(problems))
            if outcome.changed:
                if new_policy is not None:
                    self.conn.execute(
                        "UPDATE policy SET data = ? WHERE id = 1", [_dumps(policy_to_dict(policy))]
                    )
                self._record(command, loaded.state, outcome)
        return outcome

    def _write_state(self, state: AccountState) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO state (id, today, data) VALUES (1, ?, ?)",
            [state.today.isoformat(), _dumps(to_jsonable(state))],
        )

    def _record(
        self,
        command: c.Command,
        before: AccountState | None,
        outcome: Outcome,
        *,
        write_state: bool = True,
    ) -> None:
        from . import commands as c

        db = self.conn
        state = outcome.state
        result = outcome.refusal.code if outcome.refusal else "ok"
        cursor = db.execute(
            "INSERT INTO commands (on_date, kind, args, result) VALUES (?, ?, ?, ?)",
            [
                state.today.isoformat() if before is None else before.today.isoformat(),
                c.command_kind(command),
                _dumps(c.encode(command)),
                result,
            ],
        )
        command_id = cursor.lastrowid
        for event in outcome.events:
            cur = db.execute(
                "INSERT INTO events (command_id, on_date, kind, data) VALUES (?, ?, ?, ?)",
                [command_id, event.on.isoformat(), event.kind, _dumps(event.data)],
            )
            self._project_event(cur.lastrowid or 0, event)
        if write_state:
            self._write_state(state)
        old = {loan.id: loan for loan in before.loans} if before else {}
        for loan in [*state.loans, *outcome.closed_loans]:
            if old.get(loan.id) != loan:
                self._write_loan(loan)
        db.execute("DELETE FROM external_loans")
        for e in state.external:
            db.execute(
                "INSERT INTO external_loans VALUES (?, ?, ?, ?)",
                [e.lender, e.balance_fen, e.monthly_fen, e.added_on.isoformat()],
            )

    def _project_event(self, event_id: int, event: Event) -> None:
        d = event.data
        if event.kind == "limit_review" and (
            d["limit_fen"] != d["previous_fen"] or d["trigger"] == "opening"
        ):
            self.conn.execute(
                "INSERT INTO limit_changes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    event_id,
                    event.on.isoformat(),
                    d["trigger"],
                    d["previous_fen"],
                    d["limit_fen"],
                    d["score"],
                    d["base_fen"],
                    d["binding"],
                    ",".join(d["codes"]),
                    d["daily_rate"],
                ],
            )
        elif event.kind == "score_changed":
            self.conn.execute(
                "INSERT INTO score_history VALUES (?, ?, ?, ?, ?)",
                [event_id, event.on.isoformat(), d["from"], d["to"], _dumps(d["attributes"])],
            )
        elif event.kind == "platform_started":
            self.conn.execute(
                "INSERT INTO platform_measures VALUES (?, ?, ?, ?, ?, ?)",
                [d["id"], d["kind"], d["starts_on"], d["ends_on"], d["factor"], d["cohort"]],
            )

    def _write_loan(self, loan: Loan) -> None:
        db = self.conn
        status = "paid_off" if loan.closed_on else "active"
        db.execute(
            "INSERT OR REPLACE INTO loans VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                loan.id,
                loan.drawn_on.isoformat(),
                loan.principal_fen,
                loan.method,
                loan.term,
                str(loan.daily_rate),
                loan.outstanding_principal_fen,
                status,
                loan.closed_on.isoformat() if loan.closed_on else None,
            ],
        )
        db.execute("DELETE FROM installments WHERE loan_id = ?", [loan.id])
        db.executemany(
            "INSERT INTO installments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    loan.id,
                    i.seq,
                    i.period_start.isoformat(),
                    i.due_date.isoformat(),
                    i.principal_fen,
                    i.interest_fen,
                    i.penalty_fen,
                    i.principal_paid_fen,
                    i.interest_paid_fen,
                    i.penalty_paid_fen,
                    i.paid_on.isoformat() if i.paid_on else None,
                    i.max_dpd,
                    i.reported_on.isoformat() if i.reported_on else None,
                ]
                for i in loan.installments
            ],
        )

    # --- verification -------------------------------------------------------------------------

    def commands(self) -> Iterator[tuple[int, str, c.Command]]:
        """The command log, streamed in order."""
        from . import commands as c

        cursor = self.conn.execute("SELECT id, kind, args FROM commands ORDER BY id")
        for command_id, kind, args in cursor:
            yield command_id, kind, c.decode(kind, json.loads(args))

    def verify(self) -> str | None:
        """Check the invariants, then replay the log into an empty database; None when all
        holds, else the first problem in words."""
        from .invariants import check

        loaded = self.load()
        problems = check(loaded.state, loaded.policy)
        if problems:
            return f"invariant broken: {problems[0]}"
        with tempfile.TemporaryDirectory(prefix="limitlab-verify-") as tmp:
            replica = self._replay(os.path.join(tmp, "replay.db"))
            if isinstance(replica, str):
                return replica
            try:
                return _first_difference(self.conn, replica.conn)
            finally:
                replica.close()

    def _replay(self, path: str) -> Store | str:
        """The command log replayed into a new database at `path`, in one transaction with
        the state kept in memory (written once at the end); or what is wrong with the log."""
        from . import commands as c
        from .engine import apply

        replica: Store | None = None
        state: AccountState | None = None
        policy = DEFAULT_POLICY
        for _, _, command in self.commands():
            if isinstance(command, c.Open):
                if command.policy:
                    policy = policy_from_stored(command.policy)
                replica, opened = Store.create(path, command, policy)
                state = opened.state
                replica.conn.execute("BEGIN IMMEDIATE")
                continue
            if replica is None or state is None:
                return "the log does not start with opening the account"
            if isinstance(command, c.SetPolicy):
                policy = policy_from_stored(command.policy)
            outcome = apply(state, policy, command)
            if outcome.changed:
                if isinstance(command, c.SetPolicy):
                    replica.conn.execute(
                        "UPDATE policy SET data = ? WHERE id = 1", [_dumps(policy_to_dict(policy))]
                    )
                replica._record(command, state, outcome, write_state=False)
            state = outcome.state
        if replica is None or state is None:
            return "the command log is empty"
        replica._write_state(state)
        replica.conn.execute("COMMIT")
        return replica


def _is_io_problem(exc: sqlite3.DatabaseError) -> bool:
    """The file may be fine: the folder or the disk is the problem (read-only, full, I/O)."""
    message = str(exc).lower()
    return any(
        words in message
        for words in ("unable to open", "disk i/o", "full", "readonly", "read-only", "locking")
    )


def _whole_pages(path: str) -> bool:
    """A SQLite file is a whole number of pages (its header says how big a page is)."""
    size = os.path.getsize(path)
    if size < 100:
        return True  # too short for a header: SQLite itself says what is wrong
    with open(path, "rb") as fh:
        header = fh.read(100)
    if not header.startswith(b"SQLite format 3\x00"):
        return True
    page = int.from_bytes(header[16:18], "big")
    page = 65536 if page == 1 else page
    return page > 0 and size % page == 0


def _first_difference(a: sqlite3.Connection, b: sqlite3.Connection) -> str | None:
    for table in BUSINESS_TABLES:
        order = "rowid" if table != "installments" else "loan_id, seq"
        rows_a = a.execute(f"SELECT * FROM {table} ORDER BY {order}")
        columns = [d[0] for d in rows_a.description]
        rows_b = b.execute(f"SELECT * FROM {table} ORDER BY {order}")
        for n, (ra, rb) in enumerate(zip(rows_a, rows_b, strict=False), start=1):
            if ra != rb:
                return _describe(table, n, columns, ra, rb)
        count_a = a.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        count_b = b.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if count_a != count_b:
            return f"{table}: stored {count_a} rows but replay gives {count_b}"
    return None


def _describe(table: str, n: int, columns: list[str], stored: Any, replayed: Any) -> str:
    """Where two rows differ: the column and, inside JSON, the first key path that differs."""
    for column, x, y in zip(columns, stored, replayed, strict=True):
        if x == y:
            continue
        path, x, y = _json_difference(x, y)
        where = f"{column}{path}"
        return f"{table}, row {n}, {where}: stored {x!r:.80} but replay gives {y!r:.80}"
    return f"{table}, row {n} differs"


def _json_difference(x: Any, y: Any, path: str = "") -> tuple[str, Any, Any]:
    if isinstance(x, str) and isinstance(y, str) and x[:1] in "[{" and y[:1] in "[{":
        try:
            return _json_difference(json.loads(x), json.loads(y), path)
        except ValueError:
            return path, x, y
    if isinstance(x, dict) and isinstance(y, dict):
        for key in sorted(set(x) | set(y)):
            if x.get(key) != y.get(key):
                return _json_difference(x.get(key), y.get(key), f"{path}.{key}")
    if isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
        for i, (p, q) in enumerate(zip(x, y, strict=True)):
            if p != q:
                return _json_difference(p, q, f"{path}[{i}]")
    return path, x, y


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
