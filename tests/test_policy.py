"""Policy files (issue 2 §2): a TOML file laid over the defaults, validated, refused with the
offending key's name; `init --policy` stores it in the account."""

from __future__ import annotations

import json
import subprocess
import sys
from copy import deepcopy
from dataclasses import FrozenInstanceError
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from limitlab.core.policy import (
    DEFAULT_POLICY,
    MAX_EDGES,
    MAX_ENTRIES,
    MAX_NESTING,
    MAX_PENALTY_MULTIPLIER,
    MAX_POLICY_BYTES,
    MAX_TEXT_LENGTH,
    MAX_VALUES,
    Policy,
    PolicyError,
    Tier,
    load_policy_file,
    policy_from_dict,
    policy_from_stored,
    policy_to_dict,
)

#: The default tiers with the top tier (score ≥ 750) capped at ¥10,000 instead of ¥200,000.
from .conftest import OLD_BINS_TOML

LOW_CAP_TIERS = """
[[tiers]]
min_score = 550
cap_fen = 500000
income_multiple = "1"
daily_rate = "0.0006"

[[tiers]]
min_score = 600
cap_fen = 2000000
income_multiple = "2"
daily_rate = "0.0005"

[[tiers]]
min_score = 650
cap_fen = 5000000
income_multiple = "3"
daily_rate = "0.0004"

[[tiers]]
min_score = 700
cap_fen = 10000000
income_multiple = "4"
daily_rate = "0.0003"

[[tiers]]
min_score = 750
cap_fen = 1000000
income_multiple = "4"
daily_rate = "{top_rate}"
"""


@pytest.fixture
def write(tmp_path: Path) -> Any:
    def _write(text: str, name: str = "policy.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


def refused(cli: Any, path: Path, *args: str) -> str:
    result = cli("--policy", str(path), *(args or ("policy", "show", "--json")))
    assert result.exit_code == 2, result.output
    err = result.stderr.strip()
    assert err.startswith("limitlab: ") and "\n" not in err, err
    assert "Traceback" not in result.output
    return str(err)


# --- accepted ---------------------------------------------------------------------------------


def test_a_partial_override_changes_only_what_it_names(cli: Any, write: Any) -> None:
    path = write("cooloff_days = 21\n")
    shown = cli.json("--policy", str(path), "policy", "show")
    expected = policy_to_dict(DEFAULT_POLICY) | {"cooloff_days": 21}
    assert shown == expected


def test_a_nested_partial_override_keeps_the_rest_of_the_section(cli: Any, write: Any) -> None:
    path = write('[scorecard.social.trust]\nedges = ["50"]\npoints = [0, 30]\n')
    shown = cli.json("--policy", str(path), "policy", "show")
    assert shown["scorecard"]["social"]["trust"] == {"edges": ["50"], "points": [0, 30]}
    assert shown["scorecard"]["history"] == policy_to_dict(DEFAULT_POLICY)["scorecard"]["history"]


def test_a_tier_override_is_accepted(cli: Any, write: Any) -> None:
    path = write(LOW_CAP_TIERS.format(top_rate="0.0002"))
    shown = cli.json("--policy", str(path), "policy", "show")
    assert [t["cap_fen"] for t in shown["tiers"]][-1] == 1_000_000


def test_an_empty_policy_file_is_the_default_policy(cli: Any, write: Any) -> None:
    shown = cli.json("--policy", str(write("")), "policy", "show")
    assert shown == policy_to_dict(DEFAULT_POLICY)


# --- refused, naming the key ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        pytest.param("cooloff_dayz = 3\n", "cooloff_dayz", id="unknown-key"),
        pytest.param("[scorecard.social]\nfoo = 1\n", "scorecard.social.foo", id="unknown-nested"),
        pytest.param('cooloff_days = "two weeks"\n', "cooloff_days", id="wrong-type"),
        pytest.param("cooloff_days = 0\n", "cooloff_days", id="out-of-range"),
        pytest.param('terms = [3, "x"]\n', "terms", id="wrong-type-in-list"),
        pytest.param("tiers = []\n", "tiers", id="no-tiers"),
        pytest.param(
            LOW_CAP_TIERS.format(top_rate="0.0011"), "tiers.4.daily_rate", id="apr-above-36"
        ),
    ],
)
def test_a_bad_policy_is_refused_naming_the_key(cli: Any, write: Any, toml: str, key: str) -> None:
    err = refused(cli, write(toml))
    assert key in err


def test_a_tier_above_36_percent_apr_says_so(cli: Any, write: Any) -> None:
    err = refused(cli, write(LOW_CAP_TIERS.format(top_rate="0.0011")))
    assert "39.60%" in err and "36%" in err  # 0.11 % × 360


def test_the_36_percent_ceiling_cannot_be_lifted_by_the_policy(cli: Any, write: Any) -> None:
    path = write('apr_max = "0.5"\n' + LOW_CAP_TIERS.format(top_rate="0.0011"))
    err = refused(cli, path)
    assert "apr_max" in err or "tiers.4.daily_rate" in err


def test_malformed_toml_is_refused(cli: Any, write: Any) -> None:
    err = refused(cli, write("cooloff_days = \n"))
    assert "toml" in err.lower()


def test_a_missing_policy_file_is_refused(cli: Any, tmp_path: Path) -> None:
    err = refused(cli, tmp_path / "nope.toml")
    assert "nope.toml" in err


def test_a_bad_policy_on_init_creates_no_account(cli: Any, write: Any) -> None:
    refused(cli, write("cooloff_dayz = 3\n"), "init", "--start", "2026-01-05")
    assert not cli.db.exists()


def test_a_bad_policy_on_a_command_changes_nothing(cli: Any, write: Any) -> None:
    cli.init()
    before = cli.db.read_bytes()
    refused(cli, write("cooloff_days = 0\n"), "borrow", "1000", "--yes")
    assert cli.db.read_bytes() == before


def test_policy_from_dict_raises_policy_error_with_the_dotted_key() -> None:
    with pytest.raises(PolicyError) as info:
        policy_from_dict({"scorecard": {"history": {"worst_dpd_24m": {"points": [1, 2]}}}})
    assert info.value.key.startswith("scorecard.history.worst_dpd_24m")


# --- stored in the account ----------------------------------------------------------------------


def test_init_with_a_policy_stores_it_and_the_account_uses_it(cli: Any, write: Any) -> None:
    path = write("cooloff_days = 21\n" + LOW_CAP_TIERS.format(top_rate="0.0002") + OLD_BINS_TOML)
    result = cli("--policy", str(path), "init", "--start", "2026-01-05")
    assert result.exit_code == 0, result.output
    st = cli.json("status")
    assert (st["score"], st["limit_fen"]) == (750, 1_000_000)  # the tier cap binds, not ¥32,000

    # later commands, without --policy, keep the account's own policy
    stored = cli.json("policy", "show")
    assert stored["cooloff_days"] == 21
    assert stored["tiers"][-1]["cap_fen"] == 1_000_000
    assert cli("advance", "--months", "4").exit_code == 0
    assert cli.json("status")["limit_fen"] <= 1_000_000
    result = cli("borrow", "15000", "--yes")
    assert result.exit_code == 3
    assert cli("verify").exit_code == 0


def test_a_policy_given_to_a_later_command_is_recorded_and_replayed(cli: Any, write: Any) -> None:
    cli.init()
    path = write(LOW_CAP_TIERS.format(top_rate="0.0002") + OLD_BINS_TOML)
    assert cli("--policy", str(path), "wallet", "deposit", "100").exit_code == 0
    assert cli.json("policy", "show")["tiers"][-1]["cap_fen"] == 1_000_000
    assert cli.json("status")["limit_fen"] == 1_000_000  # reviewed at once: a cut applies now
    assert [e["kind"] for e in cli.json("history", "--kind", "policy_changed")] == [
        "policy_changed"
    ]
    assert cli("verify").exit_code == 0


def test_a_rejected_command_does_not_change_the_policy_either(cli: Any, tmp_path: Path) -> None:
    cli.init()
    policy = tmp_path / "close45.toml"
    policy.write_text("close_dpd = 45\n", encoding="utf-8")
    result = cli("--policy", str(policy), "repay", "999999")  # nothing is owed: bad input
    assert result.exit_code == 2
    assert cli.json("policy", "show")["close_dpd"] == 90


def test_borrow_under_a_new_policy_is_quoted_at_the_rate_it_is_booked_at(
    cli: Any, tmp_path: Path
) -> None:
    cli.init()
    pricey = tmp_path / "pricey.toml"
    tiers = "".join(
        f'[[tiers]]\nmin_score = {m}\ncap_fen = {cap}\nincome_multiple = "{k}"\n'
        f'daily_rate = "0.00085"\n'
        for m, cap, k in (
            (550, 500_000, 1),
            (600, 2_000_000, 2),
            (650, 5_000_000, 3),
            (700, 10_000_000, 4),
            (750, 20_000_000, 4),
        )
    )
    pricey.write_text(tiers, encoding="utf-8")
    quoted = cli.json("--policy", str(pricey), "borrow", "5000", "--term", "3", "--quote")
    booked = cli.json("--policy", str(pricey), "borrow", "5000", "--term", "3", "--yes")
    assert quoted["daily_rate"] == booked["daily_rate"] == "0.00085"
    assert quoted["total_interest_fen"] == booked["total_interest_fen"]
    assert booked["apr_warning"] is True  # 30.6 % simple APR (× 360) is above the 24 % line


# --- value semantics (plain frozen dataclasses) ---------------------------------------------------


def test_policies_compare_hash_and_print_by_value() -> None:
    assert policy_from_dict({}) == DEFAULT_POLICY
    assert hash(policy_from_dict({})) == hash(DEFAULT_POLICY)
    assert policy_from_dict({"grace_days": 5}) != DEFAULT_POLICY
    assert repr(DEFAULT_POLICY).startswith("Policy(score_base=350, score_max=950, scorecard=")
    with pytest.raises(FrozenInstanceError):
        DEFAULT_POLICY.grace_days = 5  # type: ignore[misc]


# --- every value within what the engine can compute (issue 11 §3) -------------------------------

TIER = {"min_score": 550, "cap_fen": 500_000, "income_multiple": "1", "daily_rate": "0.0005"}


@pytest.mark.parametrize(
    ("overrides", "key", "kind"),
    [
        pytest.param({"score_bands": []}, "score_bands", "no_bands", id="no-bands"),
        pytest.param(
            {"score_bands": [[600, "a"], [550, "b"]]}, "score_bands.1.0", "bands_order", id="bands"
        ),
        pytest.param(
            {"score_bands": [[350, ""]]}, "score_bands.0.1", "string_too_short", id="nameless"
        ),
        pytest.param({"score_base": 10**20}, "score_base", "less_than_equal", id="score-base"),
        pytest.param({"score_max": 2**63}, "score_max", "less_than_equal", id="score-max"),
        pytest.param(
            {"score_bands": [[2**63, "x"]]}, "score_bands.0.0", "less_than_equal", id="band"
        ),
        pytest.param(
            {"tiers": [TIER | {"cap_fen": 2**63}]}, "tiers.0.cap_fen", "less_than_equal", id="cap"
        ),
        pytest.param(
            {"regulatory_cap_fen": 10**12}, "regulatory_cap_fen", "less_than_equal", id="reg-cap"
        ),
        pytest.param({"min_borrow_fen": 0}, "min_borrow_fen", "greater_than_equal", id="min"),
        pytest.param(
            {"limit_step_fen": 600_000}, "tiers.0.cap_fen", "below_limit_step", id="cap-below-step"
        ),
        pytest.param(
            {"tiers": [TIER, TIER | {"min_score": 500}]},
            "tiers.1.min_score",
            "tiers_order",
            id="tiers-order",
        ),
        pytest.param(
            {"tiers": [TIER | {"income_multiple": "0"}]},
            "tiers.0.income_multiple",
            "greater_than",
            id="no-multiple",
        ),
        pytest.param(
            {"penalty_multiplier": "10.01"}, "penalty_multiplier", "less_than_equal", id="penalty"
        ),
        pytest.param({"cooloff_days": True}, "cooloff_days", "int_type", id="bool-as-int"),
        pytest.param({"terms": [3, True]}, "terms.1", "int_type", id="bool-in-list"),
        pytest.param(
            {"tiers": [TIER | {"min_score": True}]}, "tiers.0.min_score", "int_type", id="bool-tier"
        ),
        pytest.param({"cooloff_days": 14.0}, "cooloff_days", "int_type", id="float-as-int"),
        pytest.param({"cooloff_days": "14"}, "cooloff_days", "int_type", id="text-as-int"),
        pytest.param(
            {"credit_record_factor": True},
            "credit_record_factor",
            "decimal_type",
            id="bool-as-decimal",
        ),
        pytest.param(
            {"credit_record_factor": "NaN"}, "credit_record_factor", "finite_number", id="nan"
        ),
        pytest.param(
            {"credit_record_factor": "0.123456789"},
            "credit_record_factor",
            "decimal_max_places",
            id="places",
        ),
        pytest.param(
            {"multi_lender_cuts": [{"threshold": "0", "factor": "0.5"}]},
            "multi_lender_cuts.0.threshold",
            "greater_than",
            id="cut-without-lenders",
        ),
        pytest.param({"terms": []}, "terms", "too_short", id="no-terms"),
    ],
)
def test_a_value_the_engine_cannot_use_is_refused(
    overrides: dict[str, Any], key: str, kind: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        policy_from_dict(overrides)
    assert (caught.value.key, caught.value.kind) == (key, kind)


@pytest.mark.parametrize(
    "name", ["two\nlines", "\x1b]0;owned\x07", "\x1b[2J", "evil\u202egnp.exe", "a\u2028b", "\x00"]
)
def test_a_band_name_with_control_or_bidi_characters_is_refused(name: str) -> None:
    with pytest.raises(PolicyError) as caught:
        policy_from_dict({"score_bands": [[350, "poor"], [550, name]]})
    assert (caught.value.key, caught.value.kind) == ("score_bands.1.1", "plain_text")


@pytest.mark.parametrize("name", ["[/x]", "[bold red]X[/]", "很好　的", "A+ (top)"])
def test_a_band_name_is_data_whatever_it_looks_like(name: str) -> None:
    assert policy_from_dict({"score_bands": [[350, name]]}).band_for(700) == name


def test_the_penalty_multiplier_is_at_most_ten() -> None:
    assert MAX_PENALTY_MULTIPLIER == 10
    assert policy_from_dict({"penalty_multiplier": 10}).penalty_multiplier == 10


@pytest.mark.parametrize(
    "toml",
    [
        pytest.param("score_bands = []\n", id="no-bands"),
        pytest.param("score_base = 100000000000000000000\n", id="score-base"),
        pytest.param('score_bands = [[350, "poor\\u001b[2J"]]\n', id="escape-in-band"),
        pytest.param(LOW_CAP_TIERS.format(top_rate="0.00101"), id="simple-apr"),  # 36.36 %
        pytest.param("cooloff_days = true\n", id="bool"),
    ],
)
def test_a_policy_that_would_break_a_command_is_refused_before_anything_is_written(
    cli: Any, write: Any, toml: str
) -> None:
    refused(cli, write(toml), "init", "--start", "2026-01-05")
    assert not cli.db.exists()
    cli.init()
    before = cli.db.read_bytes()
    refused(cli, write(toml), "wallet", "deposit", "100")
    assert cli.db.read_bytes() == before
    assert cli("status").exit_code == 0


# --- hostile files and data (issue 11 §8) ---------------------------------------------------------


def nested(depth: int, kind: str) -> str:
    if kind == "arrays":
        return "terms = " + "[" * depth + "3" + "]" * depth + "\n"
    if kind == "tables":
        return "scorecard = " + "{ a = " * depth + "1" + " }" * depth + "\n"
    return "[" + ".".join(["scorecard"] * depth) + "]\n"


@pytest.mark.parametrize("depth", [9, 500, 2000])
@pytest.mark.parametrize("kind", ["arrays", "tables", "headers"])
def test_a_policy_nested_too_deep_is_refused(write: Any, depth: int, kind: str) -> None:
    path = write(nested(depth, kind))
    with pytest.raises(PolicyError) as caught:
        load_policy_file(str(path))
    assert caught.value.kind == "too_deep"
    assert caught.value.params == {"depth": MAX_NESTING}
    assert str(caught.value).startswith(f"{path}: ") and "\n" not in str(caught.value)


def test_a_policy_that_is_not_utf8_is_refused(write: Any, tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes("# café\ncooloff_days = 21\n".encode("latin-1"))
    with pytest.raises(PolicyError) as caught:
        load_policy_file(str(path))
    assert (caught.value.key, caught.value.kind, caught.value.params) == (
        "toml",
        "not_utf8",
        {"position": 6},
    )
    assert caught.value.source == str(path)


@pytest.mark.parametrize(
    ("toml", "key", "type_name"),
    [
        ("cooloff_days = 2026-01-01\n", "cooloff_days", "date"),
        ("cooloff_days = 07:32:00\n", "cooloff_days", "time"),
        ("[[tiers]]\nmin_score = 1979-05-27T07:32:00Z\n", "tiers.0.min_score", "datetime"),
    ],
)
def test_a_toml_date_as_a_policy_value_is_refused_naming_the_key(
    write: Any, toml: str, key: str, type_name: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy_file(str(write(toml)))
    assert (caught.value.key, caught.value.kind) == (key, "value_type")
    assert caught.value.params == {"type": type_name}


def test_a_file_too_large_or_unreadable_is_a_policy_error(write: Any, tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy_file(str(write("# " + "x" * MAX_POLICY_BYTES)))
    assert caught.value.kind == "file_too_large"
    with pytest.raises(PolicyError) as caught:
        load_policy_file(str(tmp_path))  # a directory
    assert (caught.value.key, caught.value.kind) == ("file", "unreadable")


def test_an_integer_of_thousands_of_digits_is_a_toml_error(write: Any) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy_file(str(write("cooloff_days = " + "9" * 5000 + "\n")))
    assert (caught.value.key, caught.value.kind) == ("toml", "toml")


@pytest.mark.parametrize(
    "toml",
    [
        pytest.param(nested(2000, "arrays"), id="deep"),
        pytest.param("cooloff_days = 2026-01-01\n", id="date"),
        pytest.param("\ufeffcooloff_days = \xff\n", id="garbage"),
    ],
)
def test_a_hostile_policy_file_via_cli_is_one_line_exit_2(cli: Any, write: Any, toml: str) -> None:
    err = refused(cli, write(toml))
    assert "policy.toml" in err


def test_a_policy_file_in_another_encoding_via_cli_is_one_line_exit_2(
    cli: Any, tmp_path: Path
) -> None:
    path = tmp_path / "gbk.toml"
    path.write_bytes("[[score_bands]]\n# 很好\n".encode("gbk"))
    assert "gbk.toml" in refused(cli, path)


# --- a dict read from another file (a scenario's [policy] table) -------------------------------


def test_a_dict_from_another_file_is_validated_under_that_files_name() -> None:
    with pytest.raises(PolicyError) as caught:
        policy_from_dict({"cooloff_days": 0}, "lessons/overdue.toml [policy]")
    assert caught.value.source == "lessons/overdue.toml [policy]"
    assert str(caught.value).startswith("lessons/overdue.toml [policy]: cooloff_days: ")


def test_validation_leaves_the_dict_as_it_was() -> None:
    overrides = {"scorecard": {"social": {"trust": {"points": [0, 5, 10, 5, 30]}}}, "terms": [3]}
    copy = deepcopy(overrides)
    policy_from_dict(overrides)
    assert overrides == copy


def test_a_crafted_key_is_a_key_not_a_setting() -> None:
    """The scenario runner once wrote [policy] keys unquoted into TOML: this key set two."""
    with pytest.raises(PolicyError) as caught:
        policy_from_dict({"grace_days = 0\ncooloff_days": 1})
    assert caught.value.kind == "unexpected_keyword_argument"
    assert caught.value.key == "grace_days = 0\\ncooloff_days"
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("data", "key", "kind"),
    [
        pytest.param([], "policy", "dict_type", id="not-a-table"),
        pytest.param({"cooloff_days": None}, "cooloff_days", "value_type", id="none"),
        pytest.param({"terms": [3, {6}]}, "terms.1", "value_type", id="set"),
        pytest.param({"scorecard": {1: {}}}, "scorecard.1", "invalid_key", id="key"),
        pytest.param({"terms": list(range(MAX_VALUES))}, "policy", "too_many_values", id="values"),
        pytest.param(
            {"scorecard": {"history": 5}}, "scorecard.history", "dataclass_type", id="table"
        ),
        pytest.param({"x" * 500: 1}, "x" * 79 + "…", "unexpected_keyword_argument", id="long-key"),
    ],
)
def test_any_data_is_refused_as_a_policy_error(data: Any, key: str, kind: str) -> None:
    with pytest.raises(PolicyError) as caught:
        policy_from_dict(data)
    assert (caught.value.key, caught.value.kind) == (key, kind)


def test_a_stored_policy_that_does_not_decode_is_a_policy_error() -> None:
    with pytest.raises(PolicyError):
        policy_from_stored([])  # type: ignore[arg-type]
    with pytest.raises(PolicyError):
        policy_from_stored({"tiers": "x"})


def test_a_stored_policy_keeps_the_numbers_it_was_stored_with() -> None:
    """Validated when it came in: a later, stricter limitlab still reads it (an account never
    stops opening because the rules for new policies changed)."""
    older = Policy(tiers=(Tier(550, 500_000, Decimal(1), Decimal("0.0009")),))
    assert policy_from_stored(policy_to_dict(older)) == older


def test_a_stored_policy_is_read_in_a_fresh_process_without_pydantic() -> None:
    """The annotations' names exist from the start (they once did only after a validation,
    and every command on an account with its own policy crashed)."""
    probe = (
        "import json, sys\n"
        "from limitlab.core.policy import policy_from_stored, policy_to_dict, DEFAULT_POLICY\n"
        "data = policy_to_dict(DEFAULT_POLICY) | {'grace_days': 5}\n"
        "assert policy_from_stored(data).grace_days == 5\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    modules = set(json.loads(out.stdout))
    assert not {"pydantic", "pydantic_core", "annotated_types"} & modules


# --- documented limits (issue 11 §12) -------------------------------------------------------------


def test_an_attribute_has_at_most_max_edges_edges() -> None:
    def trust(edges: int) -> dict[str, Any]:
        card = {"edges": [str(e) for e in range(1, edges + 1)], "points": [0] * edges + [30]}
        return {"scorecard": {"social": {"trust": card}}}

    assert MAX_EDGES == 32
    assert len(policy_from_dict(trust(MAX_EDGES)).scorecard.social.trust.edges) == MAX_EDGES
    with pytest.raises(PolicyError) as caught:
        policy_from_dict(trust(MAX_EDGES + 1))
    assert (caught.value.key, caught.value.kind) == ("scorecard.social.trust.edges", "too_long")
    assert caught.value.params["max_length"] == MAX_EDGES


def test_a_policy_text_has_at_most_max_text_length_characters() -> None:
    name = "很" * MAX_TEXT_LENGTH
    assert policy_from_dict({"score_bands": [[350, name]]}).band_for(350) == name
    with pytest.raises(PolicyError) as caught:
        policy_from_dict({"score_bands": [[350, name + "好"]]})
    assert (caught.value.key, caught.value.kind) == ("score_bands.0.1", "string_too_long")
    assert caught.value.params == {"max_length": MAX_TEXT_LENGTH}


def test_a_list_has_at_most_max_entries_entries() -> None:
    with pytest.raises(PolicyError) as caught:
        policy_from_dict({"terms": list(range(1, MAX_ENTRIES + 2))})
    assert (caught.value.key, caught.value.kind) == ("terms", "too_long")
