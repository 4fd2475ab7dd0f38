"""The message catalogue (issue 2 §4): every message in English and 简体中文, same placeholders,
and every key the code asks for exists."""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from limitlab.cli.i18n import languages, text
from limitlab.core import commands as c

from .conftest import CATALOGUE

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def without_placeholders(template: str) -> str:
    return "".join(literal for literal, *_ in string.Formatter().parse(template))


def is_only_codes_and_punctuation(template: str) -> bool:
    """Nothing to translate: placeholders, punctuation, numbers and CODES / --options."""
    rest = without_placeholders(template)
    rest = re.sub(r"--?[a-z][a-z-]*|[A-Z][A-Z0-9_]+|[0-9]+", "", rest)
    return not re.search(r"[^\W\d_]", rest)


def test_the_catalogue_has_both_languages() -> None:
    assert languages() == ("en", "zh")
    assert len(CATALOGUE) > 100


def test_every_message_has_english_and_chinese() -> None:
    malformed = [k for k, v in CATALOGUE.items() if not (isinstance(v, tuple) and len(v) == 2)]
    assert malformed == []
    assert [k for k, (en, _) in CATALOGUE.items() if not en.strip()] == []
    assert [k for k, (_, zh) in CATALOGUE.items() if not zh.strip()] == []


def test_every_chinese_message_contains_chinese() -> None:
    untranslated = [
        (k, zh)
        for k, (_, zh) in CATALOGUE.items()
        if not is_only_codes_and_punctuation(zh) and not CJK.search(zh)
    ]
    assert untranslated == []


def test_no_english_text_is_reused_as_chinese() -> None:
    same = [
        k for k, (en, zh) in CATALOGUE.items() if en == zh and not is_only_codes_and_punctuation(en)
    ]
    assert same == []


def test_both_languages_use_the_same_placeholders() -> None:
    different = [
        (k, sorted(placeholders(en)), sorted(placeholders(zh)))
        for k, (en, zh) in CATALOGUE.items()
        if placeholders(en) != placeholders(zh)
    ]
    assert different == []


@pytest.mark.parametrize("lang", languages())
def test_every_message_formats_with_its_placeholders(lang: str) -> None:
    broken = []
    for key, (en, _) in CATALOGUE.items():
        params = {name: f"<{name}>" for name in placeholders(en)}
        try:
            out = text(key, lang, **params)
        except (KeyError, IndexError, ValueError) as exc:
            broken.append((key, repr(exc)))
            continue
        if any(value not in out for value in params.values()):
            broken.append((key, out))
    assert broken == []


def test_the_helpers_tell_translated_text_from_codes() -> None:
    assert is_only_codes_and_punctuation("{option}：{problem}")
    assert is_only_codes_and_punctuation("{date}")
    assert is_only_codes_and_punctuation("USED_BY_LOANS: {amount}")
    assert not is_only_codes_and_punctuation("Limit used up: {available}")


# --- every key the code asks for exists --------------------------------------------------------


def _source() -> str:
    files = [*sorted((ROOT / "core").glob("*.py")), *sorted((ROOT / "cli").glob("*.py"))]
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def _literal_keys() -> set[str]:
    calls = r"(?:say\(\s*s,|UserError\(|fail\(|_t\(\s*s,|\btext\(|_report\()"
    found = set(re.findall(calls + r'\s*"([A-Za-z_][\w.]*)"', _source()))
    return {k for k in found if "." in k or k in ("internal", "interrupted")}


def _codes(exception: str) -> set[str]:
    return set(re.findall(exception + r'\(\s*"([a-z_]+)"', _source()))


def test_every_literal_message_key_in_the_code_is_in_the_catalogue() -> None:
    keys = _literal_keys()
    assert len(keys) > 50
    assert sorted(keys - CATALOGUE.keys()) == []


@pytest.mark.parametrize(
    ("exception", "prefix"),
    [("DomainError", "error."), ("StoreError", "store."), ("AmountError", "amount.")],
)
def test_every_error_code_has_a_message(exception: str, prefix: str) -> None:
    codes = _codes(exception)
    assert codes, exception
    assert sorted(f"{prefix}{code}" for code in codes if f"{prefix}{code}" not in CATALOGUE) == []


def test_states_methods_and_installment_statuses_have_names() -> None:
    names = [
        *(f"state.{s}" for s in ("active", "exhausted", "suspended", "closed", "not_eligible")),
        *(f"method.{m}" for m in c.METHODS),
        *(f"inst.{s}" for s in ("paid", "overdue", "due", "upcoming")),
    ]
    assert [n for n in names if n not in CATALOGUE] == []


def test_every_event_kind_of_a_busy_life_has_a_message(sim: Callable[..., Any]) -> None:
    s = sim(wallet_fen=0)
    s.do(c.Borrow(1_000_000, 12, "equal-installment"))
    s.do(c.Borrow(50_000_000, 12, "equal-installment"))  # refused above what is available
    s.do(c.ExternalAdd("Car", 100_000, 450_000))
    s.do(c.Borrow(100_000, 3, "equal-installment"))  # an application refused (debt-to-income)
    s.to(date(2026, 1, 20))
    s.do(c.Wallet("withdraw", s.state.wallet_fen))
    s.to(date(2026, 5, 20))  # overdue, reported, cut, …
    s.do(c.Wallet("deposit", 5_000_000))
    s.do(c.Repay("all", None, None))
    kinds = set(s.kinds())
    assert {"opened", "borrowed", "borrow_refused", "application_refused", "overdue"} <= kinds
    assert sorted(k for k in kinds if f"event.{k}" not in CATALOGUE) == []


# --- one catalogue per language ------------------------------------------------------------


def test_no_language_has_a_key_english_lacks() -> None:
    from limitlab.cli.i18n import catalogue

    english = catalogue("en").MESSAGES
    for lang in languages():
        assert sorted(set(catalogue(lang).MESSAGES) - set(english)) == [], lang


@pytest.fixture
def throwaway_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A third language, `xx`, added the documented way: one file in cli/i18n (here a folder
    laid over the package's), with every key."""
    import limitlab.cli.i18n as i18n

    messages = {key: f"⟪xx⟫{en}" for key, (en, _) in CATALOGUE.items()}
    (tmp_path / "xx.py").write_text(
        "from limitlab.cli.i18n import Typesetting\n"
        "TYPESETTING = Typesetting(name='xx')\n"
        f"MESSAGES = {messages!r}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "__path__", [*i18n.__path__, str(tmp_path)])
    i18n._languages.cache_clear()
    i18n.catalogue.cache_clear()
    yield i18n
    i18n._languages.cache_clear()
    i18n.catalogue.cache_clear()


def test_a_third_language_is_one_more_file(throwaway_language: Any, cli: Any) -> None:
    assert throwaway_language.languages() == ("en", "xx", "zh")
    assert throwaway_language.text("ok.cancelled", "xx").startswith("⟪xx⟫")
    cli.init()
    shown = cli("status", "--lang", "xx")
    assert shown.exit_code == 0, shown.output
    assert "⟪xx⟫" in shown.stdout
    refused = cli("borrow", "999999", "--yes", "--lang", "xx")
    assert refused.exit_code == 3
    assert "⟪xx⟫" in refused.output
    bad = cli("wallet", "deposit", "abc", "--lang", "xx")
    assert bad.exit_code == 2 and bad.stderr.startswith("limitlab: ⟪xx⟫"), bad.stderr


def test_a_key_a_language_lacks_is_said_in_english(throwaway_language: Any) -> None:
    from limitlab.cli.i18n import catalogue

    del catalogue("xx").MESSAGES["ok.cancelled"]
    assert text("ok.cancelled", "xx") == text("ok.cancelled", "en")


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"),
        ({"LANG": "zh_CN.UTF-8", "LIMITLAB_LANG": "en"}, "en"),
        ({"LANG": "en_US.UTF-8", "LIMITLAB_LANG": "zh"}, "zh"),
    ],
)
def test_the_language_is_lang_then_limitlab_lang_then_the_locale(
    env: dict[str, str], lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from limitlab.cli.language import resolve_lang

    for name in ("LANG", "LC_ALL", "LC_MESSAGES", "LIMITLAB_LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert resolve_lang(None) == lang
    assert resolve_lang("zh") == "zh" and resolve_lang("en") == "en"


@pytest.mark.parametrize("args", [["--lang", "fr", "--help"], ["--lang", "fr", "status"]])
def test_an_unknown_language_is_refused_the_same_way_everywhere(args: list[str]) -> None:
    from limitlab.cli.main import app
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr == "limitlab: Unknown language 'fr'; use one of: en, zh.\n"
