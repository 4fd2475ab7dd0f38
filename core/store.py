"""The store: one account's SQLite file, as a repository (the only module that knows sqlite3).

The command log is the truth; the events it produced, the current state and query-friendly
tables (loans, installments, limit_changes, score_history, …) are written beside it in one
transaction per command. The store runs no rules: `core.service` loads, applies and saves
through it. Every read decodes defensively (a damaged or hand-edited file is a StoreError
naming the table and row, never a crash further on), and every sqlite3 or OS error about the
file becomes one StoreError with a `kind` (see `classify`).
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import stat
import tempfile
import time
import types
import typing
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager, suppress
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .model import (
    AccountState,
    Event,
    Installment,
    Loan,
    PlatformMeasure,
    from_jsonable,
    to_jsonable,
)
from .policy import DEFAULT_POLICY, Policy, policy_from_stored, policy_to_dict
from .records import record

if TYPE_CHECKING:
    import sqlite_utils

    from . import commands as c
    from .engine import Outcome

# The command codecs are imported where a command is written or read back, so that reading
# the state (status, why, …) does not pay for loading them.

APP_ID = "limitlab"
#: `PRAGMA application_id` ("LLab", the header's bytes 68–71): tells a limitlab file from any
#: other by its first 100 bytes, even when the pages after them are damaged.
APPLICATION_ID = 0x4C4C6162
SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = 30.0
#: The largest integer SQLite stores; a bigger id or count cannot exist there.
SQLITE_MAX_INT = 2**63 - 1
#: Stored dates outside these are damage: no simulation gets near them (the CLI starts no later
#: than 2199 and one advance is at most 50 years), and they keep every rule's arithmetic on a
#: stored date (a review interval may be 100 years) far from the calendar's ends.
EARLIEST_STORED_DATE = date(1000, 1, 1)
LATEST_STORED_DATE = date(9000, 12, 31)

#: What can be wrong with a database file (StoreError.kind); `store.KIND` in the catalogue.
KINDS = ("missing", "foreign", "damaged", "newer", "unwritable", "busy", "exists")

#: A new account is written to a temporary file in the same folder, then renamed into place.
TEMP_PREFIX, TEMP_SUFFIX = ".limitlab-", ".db"
#: A temporary file younger than this is never removed: its create may be in the microseconds
#: between making the file and locking it (see `_sweep_leftovers`).
LEFTOVER_MIN_AGE_SECONDS = 10.0
#: Where file locks do not exist, a temporary file is left behind only when this old.
LEFTOVER_AGE_WITHOUT_LOCKS_SECONDS = 600.0
#: A command's scratch folder (`scratch_folder`: what-if's copy, verify's replay) holds this
#: file, locked as a create locks its temporary file, for as long as the folder is in use.
SCRATCH_LOCK = ".in-use"

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

_SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreError(Exception):
    """The database cannot be used: `kind` is one of KINDS, `path` the file as given,
    `detail` what was found (words from SQLite or the OS, or the table and row)."""

    def __init__(self, kind: str, path: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {path} {detail}".strip())
        self.kind = kind
        self.path = path
        self.detail = detail


# --- one classification of every error about the file ------------------------------------------

# SQLite's primary result codes (the low byte of an extended code).
_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
# SQLITE_PERM, READONLY, IOERR, FULL, CANTOPEN, PROTOCOL, NOLFS, AUTH: the file may be fine,
# the folder, the disk or the permissions are the problem.
_UNWRITABLE_CODES = {3, 8, 10, 13, 14, 15, 22, 23}
# The same, for errors that carry no code (raised by the sqlite3 module, or by a test).
_BUSY_WORDS = ("database is locked", "database table is locked")
_UNWRITABLE_WORDS = (
    "readonly",
    "read-only",
    "disk is full",
    "unable to open",
    "disk i/o",
    "locking protocol",
)
#: What decoding stored data raises when the data is not what limitlab wrote.
_DECODE_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    ArithmeticError,
    RecursionError,
)


def classify(exc: BaseException, path: str, where: str = "") -> StoreError:
    """The one StoreError for a sqlite3, OS or decoding error met using the file at `path`
    (`where`: the table being read, put in front of the detail)."""
    if isinstance(exc, StoreError):
        return exc
    detail = f"{where}: {exc}" if where else str(exc)
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        words = str(exc).lower()
        if primary in _BUSY_CODES or any(w in words for w in _BUSY_WORDS):
            kind = "busy"
        elif primary in _UNWRITABLE_CODES or any(w in words for w in _UNWRITABLE_WORDS):
            kind = "unwritable"
        else:  # corrupt, not a database, a text that is not UTF-8, a missing table, …
            kind = "damaged"
    elif isinstance(exc, FileNotFoundError):
        kind = "missing"
    elif isinstance(exc, IsADirectoryError):
        kind = "foreign"
    elif isinstance(exc, OSError):
        kind = "unwritable"
    else:
        kind = "damaged"
    return StoreError(kind, path, detail)


def file_kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, words in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return words
    return "not a regular file"


# --- the schema --------------------------------------------------------------------------------


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


# --- read models -------------------------------------------------------------------------------


@record
class Loaded:
    state: AccountState
    policy: Policy


@record(frozen=True)
class LimitChange:
    """A row of `limit_changes`: a review that moved the limit (and the opening one)."""

    event_id: int
    on: date
    trigger: str
    old_limit_fen: int
    new_limit_fen: int
    score: int
    base_fen: int
    binding: str
    codes: tuple[str, ...]
    daily_rate: Decimal
    #: The review's own change split among what changed (core/change.py), from its event;
    #: None for reviews made before decisions kept it.
    attribution: list[dict[str, Any]] | None = None


class Store:
    """One account's database: `with Store.open(path) as store: …`."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self._conn = conn
        self.path = path
        self._db: sqlite_utils.Database | None = None

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection, for writes (reads use sqlite3 directly)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self._conn, execute_plugins=False)
        return self._db

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()

    # --- opening and creating -----------------------------------------------------------------

    @classmethod
    def open(cls, path: str) -> Store:
        """An existing account; StoreError when missing, foreign, damaged, newer or busy.
        Temporary files a killed create left in the folder are removed first."""
        _sweep_leftovers(os.path.dirname(os.path.realpath(path)))
        try:
            info = os.stat(path)
        except OSError as exc:
            raise classify(exc, path) from None
        what = file_kind(info.st_mode)
        if what is not None:
            raise StoreError("foreign", path, what)
        if info.st_size == 0:
            raise StoreError("foreign", path, "an empty file")
        try:
            header = _header(path)
        except OSError as exc:
            raise classify(exc, path) from None
        if not _whole_pages(header, info.st_size):
            raise StoreError(
                "damaged", path, "the file is not a whole number of pages (truncated?)"
            )
        if _application_id(header) not in (None, 0, APPLICATION_ID):
            raise StoreError("foreign", path, "a SQLite database of another program")
        conn: sqlite3.Connection | None = None
        try:
            conn = _connect(path)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError("newer", path, f"schema {version} > {SCHEMA_VERSION}")
            tables = {
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if "meta" not in tables or conn.execute(
                "SELECT value FROM meta WHERE key = 'app'"
            ).fetchone() != (APP_ID,):
                if _application_id(header) == APPLICATION_ID:
                    raise StoreError("damaged", path, "meta: the file's own record is missing")
                raise StoreError("foreign", path, "a SQLite database of another program")
            store = cls(conn, path)
            if version < SCHEMA_VERSION:
                store._migrate()
            states = conn.execute("SELECT count(*) FROM state") if "state" in tables else None
            if states is None or states.fetchone() != (1,):
                raise StoreError("damaged", path, "state: no account state")
            return store
        except BaseException as exc:
            if conn is not None:
                conn.close()
            if isinstance(exc, sqlite3.Error | OSError | UnicodeDecodeError | StoreError):
                raise classify(exc, path) from None
            raise

    @classmethod
    def create_new(
        cls,
        path: str,
        command: c.Open,
        outcome: Outcome,
        policy: Policy,
        *,
        force: bool = False,
        durable: bool = True,
    ) -> None:
        """Write a new account at `path`: its opening `command`, what the engine made of it
        (`outcome`) and its `policy`, written to a temporary file in the same folder and
        renamed into place, so that no one ever sees half an account.

        What is at `path` already decides: nothing (or an empty file) is fine; a limitlab
        database is replaced only with `force` (StoreError "exists" otherwise); anything else
        (a directory, a pipe, a device, a foreign or unrecognisable file) is StoreError
        "foreign" and left as it is. A symbolic link is followed: its target is replaced.
        (`durable=False`: not synced to disk, for a scratch database.)"""
        real = os.path.realpath(path)
        if _what_is_at(real, path) == "limitlab" and not force:
            raise StoreError("exists", path)
        folder = os.path.dirname(real)
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            raise StoreError("unwritable", path, str(exc)) from None
        _sweep_leftovers(folder)
        try:
            fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
        except OSError as exc:
            raise StoreError("unwritable", path, str(exc)) from None
        try:
            _lock(fd)  # held until the file is in place: a sweep by anyone leaves it alone
            store = cls(_connect(tmp), tmp)
            try:
                # The file is no one's until it is renamed: no journal on disk and no syncs
                # while it is built, one fsync before the rename (a tenth of the time).
                store._conn.execute("PRAGMA journal_mode = MEMORY").fetchall()
                store._conn.execute("PRAGMA synchronous = OFF")
                store._migrate()
                with store.transaction():
                    for key, value in (("app", APP_ID), ("schema", str(SCHEMA_VERSION))):
                        store._insert("meta", {"key": key, "value": value})
                    store._insert("policy", {"id": 1, "data": _dumps(policy_to_dict(policy))})
                    store.record(command, None, outcome)
                store._conn.execute("PRAGMA journal_mode = WAL").fetchall()
            finally:
                store.close()
            if durable:
                os.fsync(fd)
            for suffix in ("-wal", "-shm"):
                if os.path.exists(real + suffix):
                    os.remove(real + suffix)
            os.replace(tmp, real)
            if durable:
                _sync_folder(folder)
        except BaseException as exc:
            for leftover in (tmp, tmp + "-wal", tmp + "-shm"):
                with suppress(OSError):
                    os.remove(leftover)
            if isinstance(exc, sqlite3.Error):
                raise classify(exc, path) from None
            if isinstance(exc, OSError):  # the folder or the disk, whatever the errno says
                raise StoreError("unwritable", path, str(exc)) from None
            raise
        finally:
            os.close(fd)

    @classmethod
    def scratch(cls, path: str, command: c.Open, outcome: Outcome, policy: Policy) -> Store:
        """A throw-away account at a new `path` (verify's replay), open: built as create_new
        builds one but never synced to disk, so that a replay waits for no disk at all."""
        cls.create_new(path, command, outcome, policy, durable=False)
        store = cls.open(path)
        with store._guard():
            store._conn.execute("PRAGMA synchronous = OFF")
        return store

    def _migrate(self) -> None:
        with self._guard("schema"):
            _migrations().apply(self.db)
            self._conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # --- transactions -------------------------------------------------------------------------

    @contextmanager
    def _guard(self, where: str = "") -> Iterator[None]:
        """sqlite3 and OS errors in the block become the StoreError they mean (and a text
        column that is not UTF-8, which sqlite3 raises as Python's own error)."""
        try:
            yield
        except (sqlite3.Error, OSError, UnicodeDecodeError) as exc:
            raise classify(exc, self.path, where) from None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction that takes the write lock first, so two shells never lose an
        update (the second waits for the busy timeout instead of failing on upgrade). Inside
        an open transaction it is a savepoint, so several commands can commit as one. An
        exception rolls all of it back; a sqlite3 error from the block becomes a StoreError
        (an OS error from the block is not about the file and passes as it is)."""
        conn = self._conn
        if conn.in_transaction:
            try:
                with self.db.atomic():
                    yield
            except sqlite3.Error as exc:
                raise classify(exc, self.path) from None
            return
        with self._guard():
            conn.execute("BEGIN IMMEDIATE")
        try:
            with self.db.atomic():
                yield
        except BaseException as exc:
            if conn.in_transaction:
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise classify(exc, self.path) from None
            raise
        with self._guard():
            conn.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """A read transaction: every read in the block sees the same committed moment, whatever
        another process writes meanwhile (WAL readers never wait for writers). Inside an open
        transaction it adds nothing."""
        conn = self._conn
        if conn.in_transaction:
            yield
            return
        with self._guard():
            conn.execute("BEGIN")
        try:
            yield
        finally:
            if conn.in_transaction:
                with self._guard():
                    conn.execute("COMMIT")

    # --- reading ------------------------------------------------------------------------------

    def load(self) -> Loaded:
        """The account's state and policy, as of one moment."""
        with self.snapshot():
            state_data = self._one("state", "SELECT data FROM state WHERE id = 1")
            policy_data = self._one("policy", "SELECT data FROM policy WHERE id = 1")
        return Loaded(self._decode_state(state_data), self._decode_policy(policy_data))

    def command_count(self) -> int:
        with self._guard("commands"):
            (count,) = self._conn.execute("SELECT count(*) FROM commands").fetchone()
        return int(count)

    def commands(self) -> Generator[tuple[int, str, c.Command]]:
        """The command log, streamed in order (a decade is thousands of commands)."""
        from . import commands as c

        with self._guard("commands"):
            cursor = self._conn.execute("SELECT id, kind, args FROM commands ORDER BY id")
            for command_id, kind, args in cursor:
                where = f"commands, row id={command_id}"
                try:
                    command = c.decode(kind, json.loads(args))
                except _DECODE_ERRORS as exc:
                    problem = f"the {kind!r} command cannot be read: {exc}"
                    raise self._damaged(where, problem) from None
                self._check_types(command, c.KINDS[kind], where, "args")
                yield command_id, kind, command

    def events(
        self,
        kinds: list[str] | None = None,
        since: date | None = None,
        until: date | None = None,
        last: int | None = None,
    ) -> list[Event]:
        """Events in the order they happened: of these `kinds`, on or after `since`, on or
        before `until`; with `last`, only the newest that many (still oldest first)."""
        where, params = ["1"], []
        if kinds:
            where.append(f"kind IN ({','.join('?' * len(kinds))})")
            params += kinds
        for column, bound in (("on_date >=", since), ("on_date <=", until)):
            if bound:
                where.append(f"{column} ?")
                params.append(bound.isoformat())
        sql = f"SELECT id, on_date, kind, data FROM events WHERE {' AND '.join(where)}"
        if last:
            sql += f" ORDER BY id DESC LIMIT {min(int(last), SQLITE_MAX_INT)}"
        else:
            sql += " ORDER BY id"
        with self._guard("events"):
            rows = self._conn.execute(sql, params).fetchall()
        if last:
            rows.reverse()
        return [self._decode_event(row) for row in rows]

    def loan(self, loan_id: int) -> Loan | None:
        """A loan as stored, live or paid off, with its installments."""
        if not 0 < loan_id <= SQLITE_MAX_INT:
            return None
        with self.snapshot():
            for loan in self.load().state.loans:
                if loan.id == loan_id:
                    return loan
            with self._guard("loans"):
                row = self._conn.execute(
                    "SELECT id, drawn_on, principal_fen, method, term, daily_rate, closed_on"
                    " FROM loans WHERE id = ?",
                    (loan_id,),
                ).fetchone()
                if row is None:
                    return None
                installments = self._conn.execute(
                    "SELECT seq, period_start, due_date, principal_fen, interest_fen,"
                    " penalty_fen, principal_paid_fen, interest_paid_fen, penalty_paid_fen,"
                    " paid_on, max_dpd FROM installments WHERE loan_id = ? ORDER BY seq",
                    (loan_id,),
                ).fetchall()
        where = f"loans, row id={loan_id}"
        try:
            loan = Loan(
                row[0],
                row[2],
                row[3],
                row[4],
                Decimal(row[5]),
                date.fromisoformat(row[1]),
                [
                    Installment(
                        seq=i[0],
                        period_start=date.fromisoformat(i[1]),
                        due_date=date.fromisoformat(i[2]),
                        principal_fen=i[3],
                        interest_fen=i[4],
                        penalty_fen=i[5],
                        principal_paid_fen=i[6],
                        interest_paid_fen=i[7],
                        penalty_paid_fen=i[8],
                        paid_on=date.fromisoformat(i[9]) if i[9] is not None else None,
                        max_dpd=i[10],
                    )
                    for i in installments
                ],
                date.fromisoformat(row[6]) if row[6] is not None else None,
            )
        except _DECODE_ERRORS as exc:
            raise self._damaged(where, str(exc)) from None
        self._check_types(loan, Loan, where)
        return loan

    def limit_changes(self) -> list[LimitChange]:
        """Every change of the credit limit (and the opening grant), oldest first."""
        with self._guard("limit_changes"):
            rows = self._conn.execute(
                "SELECT c.event_id, c.on_date, c.trigger, c.old_limit_fen, c.new_limit_fen,"
                " c.score, c.base_fen, c.binding, c.codes, c.daily_rate, e.data"
                " FROM limit_changes AS c LEFT JOIN events AS e ON e.id = c.event_id"
                " ORDER BY c.event_id"
            ).fetchall()
        out = []
        for row in rows:
            where = f"limit_changes, row event_id={row[0]}"
            try:
                codes = tuple(code for code in row[8].split(",") if code)
                change = LimitChange(
                    row[0],
                    date.fromisoformat(row[1]),
                    row[2],
                    row[3],
                    row[4],
                    row[5],
                    row[6],
                    row[7],
                    codes,
                    Decimal(row[9]),
                    _attribution(row[10]),
                )
            except _DECODE_ERRORS as exc:
                problem = _what_is_wrong(exc, row, _LIMIT_CHANGE_COLUMNS)
                raise self._damaged(where, problem) from None
            self._check_types(change, LimitChange, where)
            out.append(change)
        return out

    def platform_measures(self) -> list[PlatformMeasure]:
        """Every platform measure, active or ended, in the order they were announced."""
        with self._guard("platform_measures"):
            rows = self._conn.execute(
                "SELECT id, kind, starts_on, ends_on, factor, cohort"
                " FROM platform_measures ORDER BY id"
            ).fetchall()
        out = []
        for row in rows:
            where = f"platform_measures, row id={row[0]}"
            try:
                measure = PlatformMeasure(
                    row[0],
                    row[1],
                    date.fromisoformat(row[2]),
                    date.fromisoformat(row[3]),
                    Decimal(row[4]) if row[4] is not None else None,
                    row[5],
                )
            except _DECODE_ERRORS as exc:
                raise self._damaged(where, _what_is_wrong(exc, row, _MEASURE_COLUMNS)) from None
            self._check_types(measure, PlatformMeasure, where)
            out.append(measure)
        return out

    def backup(self, to_path: str) -> None:
        """A consistent copy of the whole database at `to_path` (SQLite's online backup: a
        writer in another process neither waits for it nor gets into the copy half-done)."""
        with self._guard():
            target = sqlite3.connect(to_path)
            try:
                self._conn.backup(target)
            finally:
                target.close()

    def first_difference(self, other: Store) -> str | None:
        """Where this database's business tables first differ from `other`'s, in words (the
        table, the row and, inside JSON, the key); None when they are the same."""
        for table in BUSINESS_TABLES:
            with self._guard(table):
                difference = _table_difference(self._conn, other._conn, table)
            if difference is not None:
                return difference
        return None

    # --- decoding -----------------------------------------------------------------------------

    def _one(self, table: str, sql: str) -> Any:
        with self._guard(table):
            row = self._conn.execute(sql).fetchone()
        if row is None:
            raise self._damaged(f"{table}, row 1", "missing")
        return row[0]

    def _damaged(self, where: str, problem: str) -> StoreError:
        return StoreError("damaged", self.path, f"{where}: {problem}")

    def _decode_state(self, data: Any) -> AccountState:
        where = "state, row 1"
        try:
            state: AccountState = from_jsonable(AccountState, json.loads(data))
        except _DECODE_ERRORS as exc:
            raise self._damaged(where, f"the state cannot be read: {exc}") from None
        self._check_types(state, AccountState, where, "data")
        return state

    def _decode_policy(self, data: Any) -> Policy:
        where = "policy, row 1"
        try:
            loaded = json.loads(data)
            if not isinstance(loaded, dict):
                raise TypeError(f"{type(loaded).__name__}, not a table of settings")
            policy = policy_from_stored(loaded)
        except _DECODE_ERRORS as exc:
            raise self._damaged(where, f"the policy cannot be read: {exc}") from None
        if policy is not DEFAULT_POLICY:
            self._check_types(policy, Policy, where, "data")
        return policy

    def _decode_event(self, row: tuple[Any, ...]) -> Event:
        where = f"events, row id={row[0]}"
        try:
            on = _stored_date(row[1])
            data = json.loads(row[3])
            if not isinstance(row[2], str) or not isinstance(data, dict):
                raise TypeError("kind is not a text or data is not an object")
        except _DECODE_ERRORS as exc:
            raise self._damaged(where, str(exc)) from None
        return Event(on, row[2], data)

    def _check_types(self, value: Any, tp: Any, where: str, column: str = "") -> None:
        problem = _checker(tp)(value)
        if problem is not None:
            raise self._damaged(where, f"{column}{problem}".lstrip(". "))

    # --- writing ------------------------------------------------------------------------------

    def record(
        self,
        command: c.Command,
        before: AccountState | None,
        outcome: Outcome,
        new_policy: Policy | None = None,
        *,
        write_state: bool = True,
    ) -> None:
        """Write one applied command: the log line, its events and their projections, the
        loans it touched, other lenders, the state (unless `write_state` is False: a replay
        writes it once at the end) and `new_policy` when the command laid one. Call it inside
        `transaction()`; `before` is the state the command was applied to (None: opening)."""
        from . import commands as c

        state = outcome.state
        with self._guard():
            command_id = self._insert(
                "commands",
                {
                    "on_date": (state if before is None else before).today.isoformat(),
                    "kind": c.command_kind(command),
                    "args": _dumps(c.encode(command)),
                    "result": outcome.refusal.code if outcome.refusal else "ok",
                },
            )
            for event in outcome.events:
                event_id = self._insert(
                    "events",
                    {
                        "command_id": command_id,
                        "on_date": event.on.isoformat(),
                        "kind": event.kind,
                        "data": _dumps(event.data),
                    },
                )
                self._project_event(event_id, event)
            if new_policy is not None:
                self._conn.execute(
                    "UPDATE policy SET data = :data WHERE id = 1",
                    {"data": _dumps(policy_to_dict(new_policy))},
                )
            if write_state:
                self.save_state(state)
            old = {loan.id: loan for loan in before.loans} if before else {}
            for loan in [*state.loans, *outcome.closed_loans]:
                if old.get(loan.id) != loan:
                    self._write_loan(loan)
            self._conn.execute("DELETE FROM external_loans")
            for e in state.external:
                self._insert(
                    "external_loans",
                    {
                        "lender": e.lender,
                        "balance_fen": e.balance_fen,
                        "monthly_fen": e.monthly_fen,
                        "added_on": e.added_on.isoformat(),
                    },
                )

    def save_state(self, state: AccountState) -> None:
        """The current state, one row (the same cost on day 1 and after ten years)."""
        with self._guard("state"):
            self._insert(
                "state",
                {"id": 1, "today": state.today.isoformat(), "data": _dumps(to_jsonable(state))},
                replace=True,
            )

    def _insert(self, table: str, row: dict[str, Any], *, replace: bool = False) -> int:
        cursor = self._conn.execute(_insert_sql(table, tuple(row), replace), row)
        return cursor.lastrowid or 0

    def _project_event(self, event_id: int, event: Event) -> None:
        d = event.data
        if event.kind == "limit_review" and (
            d["limit_fen"] != d["previous_fen"] or d["trigger"] == "opening"
        ):
            self._insert(
                "limit_changes",
                {
                    "event_id": event_id,
                    "on_date": event.on.isoformat(),
                    "trigger": d["trigger"],
                    "old_limit_fen": d["previous_fen"],
                    "new_limit_fen": d["limit_fen"],
                    "score": d["score"],
                    "base_fen": d["base_fen"],
                    "binding": d["binding"],
                    "codes": ",".join(d["codes"]),
                    "daily_rate": d["daily_rate"],
                },
            )
        elif event.kind == "score_changed":
            self._insert(
                "score_history",
                {
                    "event_id": event_id,
                    "on_date": event.on.isoformat(),
                    "old_score": d["from"],
                    "new_score": d["to"],
                    "attributes": _dumps(d["attributes"]),
                },
            )
        elif event.kind == "platform_started":
            self._insert(
                "platform_measures",
                {key: d[key] for key in ("id", "kind", "starts_on", "ends_on", "factor", "cohort")},
            )

    def _write_loan(self, loan: Loan) -> None:
        self._insert(
            "loans",
            {
                "id": loan.id,
                "drawn_on": loan.drawn_on.isoformat(),
                "principal_fen": loan.principal_fen,
                "method": loan.method,
                "term": loan.term,
                "daily_rate": str(loan.daily_rate),
                "outstanding_principal_fen": loan.outstanding_principal_fen,
                "status": "paid_off" if loan.closed_on else "active",
                "closed_on": loan.closed_on.isoformat() if loan.closed_on else None,
            },
            replace=True,
        )
        self._conn.execute("DELETE FROM installments WHERE loan_id = :id", {"id": loan.id})
        rows = [
            {
                "loan_id": loan.id,
                "seq": i.seq,
                "period_start": i.period_start.isoformat(),
                "due_date": i.due_date.isoformat(),
                "principal_fen": i.principal_fen,
                "interest_fen": i.interest_fen,
                "penalty_fen": i.penalty_fen,
                "principal_paid_fen": i.principal_paid_fen,
                "interest_paid_fen": i.interest_paid_fen,
                "penalty_paid_fen": i.penalty_paid_fen,
                "paid_on": i.paid_on.isoformat() if i.paid_on else None,
                "max_dpd": i.max_dpd,
                "reported_on": i.reported_on.isoformat() if i.reported_on else None,
            }
            for i in loan.installments
        ]
        if rows:
            self._conn.executemany(_insert_sql("installments", tuple(rows[0]), False), rows)


# --- files -------------------------------------------------------------------------------------


def _header(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(100)


def _whole_pages(header: bytes, size: int) -> bool:
    """A SQLite file is a whole number of pages (its header says how big a page is)."""
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        return True  # no header to go by: SQLite itself says what is wrong
    page = int.from_bytes(header[16:18], "big")
    page = 65536 if page == 1 else page
    return page > 0 and size % page == 0


def _application_id(header: bytes) -> int | None:
    """The header's application id; None when there is no whole SQLite header."""
    if len(header) < 72 or not header.startswith(_SQLITE_MAGIC):
        return None
    return int.from_bytes(header[68:72], "big")


def _what_is_at(real: str, shown: str) -> Literal["nothing", "limitlab"]:
    """Whether a new account may go at `real`: "nothing" is there (or an empty file), or a
    limitlab database; StoreError "foreign" naming anything else, which is never replaced."""
    try:
        info = os.stat(real)
    except FileNotFoundError:
        return "nothing"
    except OSError as exc:
        raise classify(exc, shown) from None
    what = file_kind(info.st_mode)
    if what is not None:
        raise StoreError("foreign", shown, what)
    if info.st_size == 0:
        return "nothing"
    try:
        header = _header(real)
    except OSError as exc:
        raise classify(exc, shown) from None
    if not header.startswith(_SQLITE_MAGIC):
        raise StoreError("foreign", shown, "not a SQLite database")
    app = _application_id(header)
    if app == APPLICATION_ID:
        return "limitlab"  # even when damaged after the header
    if app not in (None, 0):
        raise StoreError("foreign", shown, "a SQLite database of another program")
    # Made before limitlab set an application id: its meta table says whose it is.
    try:
        conn = sqlite3.connect(f"{Path(real).as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
            app_row = (
                conn.execute("SELECT value FROM meta WHERE key = 'app'").fetchone()
                if "meta" in tables
                else None
            )
        finally:
            conn.close()
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        found = classify(exc, shown)
        if found.kind in ("busy", "unwritable"):
            raise found from None
        raise StoreError(
            "foreign", shown, f"a SQLite file limitlab cannot recognise as its own ({exc})"
        ) from None
    if app_row != (APP_ID,):
        raise StoreError("foreign", shown, "a SQLite database of another program")
    return "limitlab"


def _sync_folder(folder: str) -> None:
    """Make a rename in `folder` durable (where folders can be opened: POSIX)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _lock(fd: int) -> None:
    """Hold an exclusive lock on a new temporary file for as long as `fd` is open."""
    try:
        import fcntl
    except ImportError:  # no flock here: the sweep goes by age alone
        return
    with suppress(OSError):  # a file system without locks: the sweep's age rule still holds
        fcntl.flock(fd, fcntl.LOCK_EX)


@contextmanager
def scratch_folder(prefix: str) -> Iterator[str]:
    """A new folder in the system's temporary folder (`prefix` + random letters) for the
    block, removed after it. Folders of the same prefix that a killed process left are
    removed first (a SIGKILL runs no clean-up), never one a process is still using: each is
    held as a create holds its temporary file (`_sweep_leftovers`), by a flock on the
    SCRATCH_LOCK file inside it from the moment the folder exists until it is removed."""
    import shutil

    base = tempfile.gettempdir()
    _sweep_scratch(base, prefix)
    folder = tempfile.mkdtemp(prefix=prefix, dir=base)
    try:
        fd = os.open(os.path.join(folder, SCRATCH_LOCK), os.O_RDWR | os.O_CREAT, 0o600)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    try:
        _lock(fd)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # the lock goes when the file is closed
        os.close(fd)


def _sweep_scratch(base: str, prefix: str) -> None:
    """Remove the scratch folders named `prefix`… in `base` that no process holds, by the
    rules of `_sweep_leftovers`: none younger than LEFTOVER_MIN_AGE_SECONDS; one whose lock
    can be taken, or that has no lock file (a process killed before it made one, or an older
    limitlab's) and is older than LEFTOVER_AGE_WITHOUT_LOCKS_SECONDS. Only real folders of
    this user; anything that cannot be listed or removed is left."""
    import shutil

    try:
        names = [n for n in os.listdir(base) if n.startswith(prefix)]
    except OSError:
        return
    now = time.time()
    for name in names:
        folder = os.path.join(base, name)
        with suppress(OSError):
            seen = os.lstat(folder)
            if not stat.S_ISDIR(seen.st_mode) or now - seen.st_mtime < LEFTOVER_MIN_AGE_SECONDS:
                continue
            if hasattr(os, "getuid") and seen.st_uid != os.getuid():
                continue
            lock = os.path.join(folder, SCRATCH_LOCK)
            if not os.path.exists(lock):
                if now - seen.st_mtime >= LEFTOVER_AGE_WITHOUT_LOCKS_SECONDS:
                    shutil.rmtree(folder, ignore_errors=True)
                continue
            _remove_if_abandoned(lock, now, functools.partial(shutil.rmtree, folder, True))


def _sweep_leftovers(folder: str) -> None:
    """Remove the temporary files (`.limitlab-*.db` and their -wal, -shm) that a killed create
    left in `folder`, never one a create is still writing.

    A create holds an exclusive flock on its temporary file from the moment it exists until it
    has been renamed into place, and the kernel drops a lock when its process dies: a file whose
    lock can be taken has no one writing it. A file younger than LEFTOVER_MIN_AGE_SECONDS is
    left in any case (its create may be between making the file and locking it, microseconds).
    Without flock (not POSIX) only files older than LEFTOVER_AGE_WITHOUT_LOCKS_SECONDS go: a
    create takes milliseconds, and one stopped for longer than that only fails to rename its
    vanished file, the account untouched. A folder that cannot be listed or written is left."""
    try:
        names = [n for n in os.listdir(folder) if n.startswith(TEMP_PREFIX)]
    except OSError:
        return
    if not names:
        return
    now = time.time()
    for name in names:
        main = name.removesuffix("-wal").removesuffix("-shm")
        if not main.endswith(TEMP_SUFFIX) or (name != main and main in names):
            continue  # not ours, or a -wal/-shm that goes with its main file
        path = os.path.join(folder, main)
        with suppress(OSError):
            if name == main:
                if now - os.stat(path).st_mtime < LEFTOVER_MIN_AGE_SECONDS:
                    continue
                _remove_if_abandoned(path, now, functools.partial(_remove_files, path))
            elif now - os.stat(os.path.join(folder, name)).st_mtime >= LEFTOVER_MIN_AGE_SECONDS:
                os.remove(os.path.join(folder, name))  # its main file is gone


def _remove_if_abandoned(path: str, now: float, remove: Callable[[], None]) -> None:
    """`remove()` what `path` (a create's temporary file, a scratch folder's lock file)
    stands for, unless its lock is held: a process is still using it. Without flock, only
    when `path` is older than LEFTOVER_AGE_WITHOUT_LOCKS_SECONDS."""
    try:
        import fcntl
    except ImportError:
        if now - os.stat(path).st_mtime >= LEFTOVER_AGE_WITHOUT_LOCKS_SECONDS:
            remove()
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # its process is still at work
        remove()
    finally:
        os.close(fd)


def _remove_files(path: str) -> None:
    for leftover in (path, path + "-wal", path + "-shm"):
        with suppress(FileNotFoundError):
            os.remove(leftover)


# --- decoding defensively ----------------------------------------------------------------------


def _attribution(data: Any) -> list[dict[str, Any]] | None:
    """A review's attribution, from its event's data (None when it has none)."""
    if data is None:
        return None
    found = json.loads(data).get("attribution")
    if found is not None and not isinstance(found, list):
        raise TypeError("the attribution is not a list")
    return found


_LIMIT_CHANGE_COLUMNS = (
    "event_id",
    "on_date",
    "trigger",
    "old_limit_fen",
    "new_limit_fen",
    "score",
    "base_fen",
    "binding",
    "codes",
    "daily_rate",
    "event data",
)
_MEASURE_COLUMNS = ("id", "kind", "starts_on", "ends_on", "factor", "cohort")


def _what_is_wrong(exc: BaseException, row: tuple[Any, ...], columns: tuple[str, ...]) -> str:
    """The first NULL column of a row that cannot be decoded, or the decoder's own words."""
    nulls = [name for name, value in zip(columns, row, strict=False) if value is None]
    if nulls and isinstance(exc, AttributeError | TypeError):
        return f"{nulls[0]} is NULL"
    return str(exc)


def _stored_date(text: Any) -> date:
    day = date.fromisoformat(text)
    if not EARLIEST_STORED_DATE <= day <= LATEST_STORED_DATE:
        raise ValueError(f"{day} is outside {EARLIEST_STORED_DATE}…{LATEST_STORED_DATE}")
    return day


#: A type's checker: a decoded value -> None when it has the type, else where it goes wrong
#: from there and how (".loans[0].term is 'x', not a whole number"; the path is put together
#: only on the way out of a failure, so a sound state costs no strings).
Checker = Callable[[Any], str | None]


def _accept(value: Any) -> str | None:
    return None


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


@functools.cache
def _checker(tp: Any) -> Checker:
    """A function that says what in a decoded value does not have the type `tp` declares,
    worked out once per type. `from_jsonable` builds whatever the JSON holds; this catches a
    text where a number belongs, a float, a bool for an int, an integer SQLite cannot store,
    a date outside the stored range, NaN, a value a Literal does not allow."""
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        args = typing.get_args(tp)
        optional = type(None) in args
        choices = [_checker(a) for a in args if a is not type(None)]

        def check_union(value: Any) -> str | None:
            if value is None:
                return None if optional else " is missing"
            problems = [choice(value) for choice in choices]
            return None if None in problems else problems[0]

        return check_union
    if origin is tuple and typing.get_args(tp)[-1:] != (Ellipsis,):
        parts = [_checker(a) for a in typing.get_args(tp)]

        def check_fixed(value: Any) -> str | None:
            if not isinstance(value, tuple) or len(value) != len(parts):
                return f" is {value!r:.40}, not {len(parts)} values"
            for i, (part, item) in enumerate(zip(parts, value, strict=True)):
                problem = part(item)
                if problem is not None:
                    return f"[{i}]{problem}"
            return None

        return check_fixed
    if origin is list or origin is tuple:
        container = list if origin is list else tuple
        each = _checker(typing.get_args(tp)[0])

        def check_sequence(value: Any) -> str | None:
            if not isinstance(value, container):
                return f" is {value!r:.40}, not a list"
            for i, item in enumerate(value):
                problem = each(item)
                if problem is not None:
                    return f"[{i}]{problem}"
            return None

        return check_sequence
    if origin is dict or tp is dict:
        return _check_dict
    if origin is Literal:
        allowed = typing.get_args(tp)
        return lambda value: None if value in allowed else f" is {value!r:.40}"
    if isinstance(tp, type) and is_dataclass(tp):
        cls = tp
        checks = [(f.name, _checker(_hints(cls)[f.name])) for f in fields(cls)]

        def check_record(value: Any) -> str | None:
            if not isinstance(value, cls):
                return f" is {value!r:.40}, not a {cls.__name__}"
            for name, check in checks:
                problem = check(getattr(value, name))
                if problem is not None:
                    return f".{name}{problem}"
            return None

        return check_record
    return _LEAVES.get(tp, _accept)


def _check_dict(value: Any) -> str | None:
    return None if isinstance(value, dict) else f" is {value!r:.40}, not an object"


def _check_bool(value: Any) -> str | None:
    return None if value is True or value is False else f" is {value!r:.40}, not true or false"


def _check_str(value: Any) -> str | None:
    return None if isinstance(value, str) else f" is {value!r:.40}, not a text"


def _check_int(value: Any) -> str | None:
    if value.__class__ is not int:  # a bool is an int to isinstance; a subclass is not ours
        return f" is {value!r:.40}, not a whole number"
    if not -SQLITE_MAX_INT - 1 <= value <= SQLITE_MAX_INT:
        return f" is {value:.3e}, too large for SQLite"
    return None


def _check_decimal(value: Any) -> str | None:
    if not isinstance(value, Decimal) or not value.is_finite():
        return f" is {value!r:.40}, not a number"
    return None


def _check_date(value: Any) -> str | None:
    if value.__class__ is not date:
        return f" is {value!r:.40}, not a date"
    if not EARLIEST_STORED_DATE <= value <= LATEST_STORED_DATE:
        return (
            f" is {value.isoformat()}, outside"
            f" {EARLIEST_STORED_DATE.isoformat()}…{LATEST_STORED_DATE.isoformat()}"
        )
    return None


_LEAVES: dict[Any, Checker] = {
    bool: _check_bool,
    int: _check_int,
    str: _check_str,
    Decimal: _check_decimal,
    date: _check_date,
}


# --- comparing two databases -------------------------------------------------------------------


#: Fields a later version added to a stored JSON `data` column, as key paths, by table (and,
#: for events, by kind). A database written before a field existed does not record it, and
#: verify compares only what a row records: such a field, absent from the stored row (or null
#: there, "none kept": the first review after an upgrade has no basis to compare with, where
#: the replay has one), is left out of the replayed one too. A field the stored row records is
#: compared as always, and any other missing key is a difference.
LATER_FIELDS: dict[tuple[str, str | None], tuple[tuple[str, ...], ...]] = {
    # issue 12: each review's attribution of its own change, and the basis it compares with
    ("events", "limit_review"): (("attribution",),),
    ("state", None): (("review_basis",), ("decision", "attribution")),
}


def _as_recorded(table: str, columns: list[str], stored: Any, replayed: Any) -> Any:
    """The replayed row without the later fields the stored row does not record (see
    LATER_FIELDS); the replayed row itself when there are none to leave out."""
    kind = stored[columns.index("kind")] if table == "events" else None
    paths = LATER_FIELDS.get((table, kind))
    if not paths or "data" not in columns:
        return replayed
    at = columns.index("data")
    try:
        was, now = json.loads(stored[at]), json.loads(replayed[at])
    except _DECODE_ERRORS:
        return replayed
    left_out = False
    for path in paths:
        old, new = was, now
        for key in path[:-1]:
            old = old.get(key) if isinstance(old, dict) else None
            new = new.get(key) if isinstance(new, dict) else None
        if isinstance(old, dict) and isinstance(new, dict) and old.get(path[-1]) is None:
            if path[-1] in old:
                new[path[-1]] = None
            else:
                new.pop(path[-1], None)
            left_out = True
    if not left_out:
        return replayed
    row = list(replayed)
    row[at] = _dumps(now)
    return tuple(row)


def _table_difference(a: sqlite3.Connection, b: sqlite3.Connection, table: str) -> str | None:
    order = "rowid" if table != "installments" else "loan_id, seq"
    rows_a = a.execute(f"SELECT * FROM {table} ORDER BY {order}")
    columns = [d[0] for d in rows_a.description]
    rows_b = b.execute(f"SELECT * FROM {table} ORDER BY {order}")
    for n, (ra, rb) in enumerate(zip(rows_a, rows_b, strict=False), start=1):
        if ra != rb:
            rb = _as_recorded(table, columns, ra, rb)
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
        except _DECODE_ERRORS:
            return path, x, y
    if isinstance(x, dict) and isinstance(y, dict):
        for key in sorted(set(x) | set(y), key=str):
            if x.get(key) != y.get(key):
                return _json_difference(x.get(key), y.get(key), f"{path}.{key}")
    if isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
        for i, (p, q) in enumerate(zip(x, y, strict=True)):
            if p != q:
                return _json_difference(p, q, f"{path}[{i}]")
    return path, x, y


@functools.cache
def _insert_sql(table: str, columns: tuple[str, ...], replace: bool) -> str:
    """`INSERT INTO table (a, b) VALUES (:a, :b)`: every value goes to its named column."""
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    names = ", ".join(columns)
    values = ", ".join(f":{name}" for name in columns)
    return f"{verb} INTO {table} ({names}) VALUES ({values})"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
