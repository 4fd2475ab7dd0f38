"""The Explanation on screen: the waterfall, the ranked reasons and the score factors, drawn
from its JSON (views/explanation.py). Wide terminals get one table per part; narrow ones
wrap, never cut."""

from __future__ import annotations

from typing import Any

from limitlab.cli.i18n import text
from limitlab.core.explain import Explanation, Line
from limitlab.core.money import format_fen, plain_yuan
from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..render import attribute_text, hanging, paren, reason_title, screen_width, value_text
from .explanation import advice_text, cannot_borrow, reason_title_of, waterfall_json


def _table(title: str, *columns: tuple[str, str, int | None]) -> Table:
    t = Table(
        title=title, box=box.SIMPLE_HEAVY, title_justify="left", show_edge=False, title_style="bold"
    )
    for header, justify, min_width in columns:
        t.add_column(header, justify=justify, overflow="fold", min_width=min_width)  # type: ignore[arg-type]
    return t


def waterfall_table(data: dict[str, Any], lang: str) -> Table:
    t = _table(
        text("why.title_waterfall", lang),
        (text("why.col_line", lang), "left", None),
        (text("label.amount", lang), "right", 13),
    )
    for line in data["waterfall"]:
        amount = format_fen(
            line["amount_fen"], sign=not line["subtotal"] and line["code"] != "BASE_LIMIT"
        )
        style = "bold" if line["subtotal"] else ("red" if line["amount_fen"] < 0 else "")
        t.add_row(
            Text(line["label"], style=style),
            Text(amount, style=style),
            end_section=line["subtotal"],
        )
    return t


#: Below this many columns the reasons are stacked blocks instead of a seven-column table
#: (each reason's evidence carries the chain it sets off, and its advice the simulated steps:
#: narrower than this, a table squeezes them into slivers).
WIDE = 140
#: Reasons whose evidence is a history that only grows (ten years of bureau reports would
#: fill the screen): they show the evidence of their latest few dates, one day's items kept
#: together. Every other reason's evidence is a current fact (a lender still owed, a loan still
#: live) and is always shown whole. `--json` always has all of it.
HISTORY_REASONS = frozenset({"CREDIT_RECORD"})
EVIDENCE_DATES = 3


def evidence_lines(evidence: list[dict[str, Any]], lang: str, code: str = "") -> list[str]:
    """The lines of a reason's evidence: all of it, or for a history reason that of its latest
    EVIDENCE_DATES dates after a line that counts the earlier items."""
    shown = evidence
    if code in HISTORY_REASONS:
        recent = set(sorted({e["on"] for e in evidence if e["on"]})[-EVIDENCE_DATES:])
        shown = [e for e in evidence if not e["on"] or e["on"] in recent]
    lines = [f"{e['on']}  {e['text']}" if e["on"] else e["text"] for e in shown]
    hidden = len(evidence) - len(shown)
    if hidden:
        lines.insert(0, text("why.evidence_more", lang, n=hidden))
    return lines


def reasons_title(data: dict[str, Any], lang: str) -> str:
    """The reasons' title, with what their shares are of: the amount a review today would
    make available without any of the causes (it can be above the limit in force: a cause
    can also hold back what a review would give), less what is available."""
    return text(
        "why.title_reasons",
        lang,
        lost=format_fen(data["lost_fen"]),
        reference=format_fen(data["reference_fen"]),
        available=format_fen(data["available_fen"]),
    )


def reasons_table(data: dict[str, Any], lang: str) -> Table | Text | Group:
    if not data["reasons"]:
        return Text(text("why.no_reasons", lang), style="green")
    if screen_width() < WIDE:
        return reasons_stacked(data, lang)
    t = _table(
        reasons_title(data, lang),
        (text("why.col_rank", lang), "right", None),
        (text("why.col_category", lang), "left", None),
        (text("why.col_cause", lang), "left", 10),
        (text("why.col_evidence", lang), "left", 16),
        (text("why.col_amount", lang), "right", 12),
        (text("why.col_advice", lang), "left", 14),
        (text("why.col_recovers", lang), "left", 10),
    )
    for r in data["reasons"]:
        evidence = "\n".join(evidence_lines(r["evidence"], lang, r["code"]))
        t.add_row(
            str(r["rank"]),
            text(f"category.{r['category']}", lang),
            Text(r["title"], style="bold"),
            evidence,
            amount_cell(r, lang),
            r["advice"],
            r["recovers"],
            end_section=True,
        )
    return t


def amount_cell(r: dict[str, Any], lang: str) -> str:
    """The share, then what fixing the cause alone frees today when that differs, and
    "equal share" when another cause has exactly the same."""
    lines = [format_fen(r["amount_fen"])]
    if r["alone_fen"] != r["amount_fen"]:
        lines.append(text("why.alone", lang, alone=format_fen(r["alone_fen"])))
    if r["equal_share"]:
        lines.append(text("why.equal_share", lang))
    return "\n".join(lines)


def reasons_stacked(data: dict[str, Any], lang: str) -> Group:
    """One block per reason: every field on its own lines, so nothing is cut when narrow."""
    parts: list[Any] = [Text(reasons_title(data, lang), style="bold")]
    for r in data["reasons"]:
        gap = "" if lang == "zh" else " "
        head = Text(f"{r['title']}{gap}", style="bold")
        head.append(paren(text("category." + r["category"], lang), lang) + gap)
        head.append(amount_cell(r, lang).replace("\n", " · "), style="bold")
        colon = "：" if lang == "zh" else ": "
        rows: list[tuple[str, Any]] = [
            ("   • ", line) for line in evidence_lines(r["evidence"], lang, r["code"])
        ]
        rows.append(("   → ", f"{text('why.col_advice', lang)}{colon}{r['advice']}"))
        rows.append(("   ↺ ", f"{text('why.col_recovers', lang)}{colon}{r['recovers']}"))
        # The title wraps under its own text, not under the rank (a hanging indent).
        parts += [Text(), hanging([(f"{r['rank']}. ", head)]), hanging(rows)]
    return Group(*parts)


def factors_table(data: dict[str, Any], lang: str) -> Table:
    t = _table(
        text("why.title_factors", lang)
        + ("" if lang == "zh" else " ")
        + paren(str(data["score"]), lang),
        (text("label.attribute", lang), "left", None),
        (text("label.value", lang), "right", None),
        (text("label.points", lang), "right", None),
        (text("why.col_advice", lang), "left", 20),
    )
    for f in data["score_factors"]:
        t.add_row(
            attribute_text(f["attribute"], lang),
            value_text(str(f["value"]), lang, f["attribute"]),
            f"{f['points']}/{f['max_points']}".replace("-", "−"),
            f["advice"],
        )
    return t


def why_view(data: dict[str, Any], lang: str) -> Group:
    style = "bold red" if data["available_fen"] == 0 else "bold green"
    parts: list[Any] = [Text(data["headline"], style=style)]
    if data.get("cannot_borrow"):
        parts.append(Text(data["cannot_borrow"], style="bold"))
    if "app_message" in data:  # what a 借呗-style app would say, beside the real reason
        from .app_message import app_message_line

        top = data["reasons"][0] if data["reasons"] else None
        parts.append(app_message_line(data["app_message"], lang, top))
    parts.append(Text())
    if "amount" in data:
        parts += [amount_view(data["amount"], lang), Text()]
    parts += [waterfall_table(data, lang), Text(), reasons_table(data, lang)]
    if data["score_factors"]:
        parts += [Text(), factors_table(data, lang)]
    return Group(*parts)


#: How many reasons a slide shows.
SLIDE_REASONS = 3


def why_slide_view(data: dict[str, Any], lang: str) -> Group:
    """`why --slide`: the headline and what the app would say, then the top SLIDE_REASONS
    reasons only, each its title and share, one line of evidence (its first) and what to do;
    no waterfall, no score factors, so the slide's words can be large."""
    style = "bold red" if data["available_fen"] == 0 else "bold green"
    parts: list[Any] = [Text(data["headline"], style=style)]
    if data.get("cannot_borrow"):
        parts.append(Text(data["cannot_borrow"], style="bold"))
    if "app_message" in data:
        from .app_message import app_message_line

        top = data["reasons"][0] if data["reasons"] else None
        parts.append(app_message_line(data["app_message"], lang, top))
    if not data["reasons"]:
        return Group(*parts, Text(), Text(text("why.no_reasons", lang), style="green"))
    colon = "：" if lang == "zh" else ": "
    for r in data["reasons"][:SLIDE_REASONS]:
        share = text("why.slide_share", lang, title=r["title"], amount=format_fen(r["amount_fen"]))
        head = hanging([(f"{r['rank']}. ", Text(share, style="bold"))])
        rows: list[tuple[str, Any]] = []
        lines = [e for e in evidence_lines(r["evidence"], lang, r["code"]) if e]
        shown = [e["text"] for e in r["evidence"]]
        first = next((line for line in lines if any(t in line for t in shown)), None)
        if first is not None:
            rows.append(("   • ", first))
        rows.append(("   → ", f"{text('why.col_advice', lang)}{colon}{r['advice']}"))
        parts += [Text(), head, hanging(rows)]
    return Group(*parts)


def amount_view(check: dict[str, Any], lang: str) -> Text:
    """borrow's decision on the amount, and when refused, what unlocks it (the plan)."""
    asked = {
        "amount": format_fen(check["amount_fen"]),
        "term": check["term"],
        "method": text(f"method.{check['method']}", lang),
    }
    if check["granted"]:
        return Text(text("why.amount_granted", lang, **asked), style="green")
    out = Text(text("why.amount_refused", lang, **asked), style="bold")
    for item in check["refusing"]:
        title = reason_title(item["code"], lang)
        out.append("\n  • " + text("why.refusing_item", lang, title=title, text=item["text"]))
    counts = "why.amount_application" if check["application"] else "why.amount_not_application"
    out.append("\n" + text(counts, lang))
    if check["largest"]:
        terms = " · ".join(
            text(
                "why.amount_largest_term",
                lang,
                term=x["term"],
                amount=text("why.amount_none", lang)
                if x["amount_fen"] is None
                else format_fen(x["amount_fen"]),
            )
            for x in check["largest"]
        )
        out.append("\n" + text("why.amount_largest", lang, terms=terms))
    plan = check["unlock"]
    if plan is not None:
        command = f"limitlab plan --need {plain_yuan(check['amount_fen'])} --term {check['term']}"
        if check["method"] != "equal-installment":
            command += f" --method {check['method']}"
        if plan["found"]:
            line = text(
                "why.amount_unlock",
                lang,
                command=command,
                cash=format_fen(plan["cash_fen"]),
                date=plan["ready_on"],
            )
        else:
            why = reason_title(plan["blocked_by"], lang)
            line = text("why.amount_no_unlock", lang, command=command, why=why)
        out.append("\n" + line)
    return out


def waterfall_view(lines: list[Line], lang: str) -> Table:
    return waterfall_table({"waterfall": waterfall_json(lines, lang)}, lang)


def one_line_cause(e: Explanation, lang: str) -> Text:
    """The one cause to act on first: the top reason (a blocking one while borrowing is
    suspended: whatever else took more yuan, nothing can be borrowed until it lifts)."""
    if not e.reasons:
        return Text()
    top = e.reasons[0]
    title = reason_title_of(top, lang)
    line = text("why.cause_line", lang, title=title, advice=advice_text(top, e, lang))
    opener = cannot_borrow(e, lang)
    return Text(f"{opener}\n{line}" if opener else line, style="yellow")
