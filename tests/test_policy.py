"""Policy files (issue 2 §2): a TOML file laid over the defaults, validated, refused with the
offending key's name; `init --policy` stores it in the account."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from pathlib import Path
from typing import Any

import pytest
from limitlab.core.policy import DEFAULT_POLICY, PolicyError, policy_from_dict, policy_to_dict

#: The default tiers with the top tier (score ≥ 750) capped at ¥10,000 instead of ¥200,000.
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
    assert "39.60%" in err and "36%" in err


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
    path = write("cooloff_days = 21\n" + LOW_CAP_TIERS.format(top_rate="0.0002"))
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
    path = write(LOW_CAP_TIERS.format(top_rate="0.0002"))
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
        f'daily_rate = "0.0009"\n'
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
    assert quoted["daily_rate"] == booked["daily_rate"] == "0.0009"
    assert quoted["total_interest_fen"] == booked["total_interest_fen"]
    assert booked["apr_warning"] is True  # 32.4 % simple APR is above the 24 % warning line


# --- value semantics (plain frozen dataclasses) ---------------------------------------------------


def test_policies_compare_hash_and_print_by_value() -> None:
    assert policy_from_dict({}) == DEFAULT_POLICY
    assert hash(policy_from_dict({})) == hash(DEFAULT_POLICY)
    assert policy_from_dict({"grace_days": 5}) != DEFAULT_POLICY
    assert repr(DEFAULT_POLICY).startswith("Policy(score_base=350, score_max=950, scorecard=")
    with pytest.raises(FrozenInstanceError):
        DEFAULT_POLICY.grace_days = 5  # type: ignore[misc]
