"""`limitlab demo`: a short story played through the real commands on its own database."""

from __future__ import annotations

import os
import shlex
import tempfile
from typing import Annotated, Any

import typer
from rich.rule import Rule
from rich.text import Text

from .app import LangOpt, app
from .context import EXIT_INTERNAL, UserError, handle_errors, say, settings

#: (narration in English, narration in Chinese, the command's words after `limitlab`
#: [, the exit code it must end with when not 0]).
STORY: list[tuple[Any, ...]] = [
    (
        "Open a credit line for someone earning ¥8,000 a month (授信).",
        "为月收入 ¥8,000 的用户开通额度（授信）。",
        "init --income 8000 --expenses 5000 --wallet 1000 --payday 10 --start 2026-01-05",
    ),
    (
        "Borrow most of the limit over 12 months (支用, 按月等额).",
        "支用大部分额度，12 期按月等额。",
        "borrow 30000 --term 12 --method equal-installment --yes",
    ),
    ("Almost nothing is left.", "可用额度所剩无几。", "status"),
    (
        "Try to borrow again: refused, the limit is used up (exit code 3).",
        "再次申请借款：被拒，额度已用完（退出码 3）。",
        "borrow 5000 --yes",
        3,
    ),
    (
        "Time passes: payday on the 10th brings income minus expenses.",
        "时间推进：每月 10 日发薪，收入减支出进入钱包。",
        "advance --to 2026-02-01",
    ),
    (
        "The person spends all the cash in the wallet.",
        "用户花光了钱包里的钱。",
        "wallet withdraw 4000",
    ),
    (
        "The first installment falls due on 5 February; autopay finds an empty wallet.",
        "2 月 5 日第一期到期，自动扣款时钱包为空。",
        "advance --to 2026-02-07",
    ),
    (
        "Overdue: borrowing is suspended and penalty interest runs.",
        "逾期：借款暂停，开始计收罚息。",
        "status",
    ),
    ("Why is the limit used up?", "为什么额度用完了？", "why"),
    (
        "Cash comes in, and the overdue amount is repaid.",
        "存入现金，归还逾期款项。",
        "wallet deposit 4500",
    ),
    ("Repay exactly what is overdue.", "只归还逾期部分。", "repay --overdue"),
    (
        "Recovered: the suspension is lifted. Repaying principal frees limit at once.",
        "恢复：借款暂停解除。偿还本金会立即恢复额度。",
        "repay 1500",
    ),
    ("The account now.", "账户现状。", "status --detail"),
]


@app.command()
@handle_errors
def demo(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Where to keep the demo's database (default: a new temporary folder)."
        ),
    ] = None,
    lang: LangOpt = None,
) -> None:
    """Play a short story: open, borrow, refused, overdue, why, repay, recover.

    Each step prints the command it runs, so it can be typed again.
    Example: limitlab demo --lang zh
    """
    s = settings(ctx, False, lang)
    from .render import console

    path = db or os.path.join(tempfile.mkdtemp(prefix="limitlab-demo-"), "demo.db")
    command = typer.main.get_command(app)
    out = console()
    for n, (en, zh, words, *expected) in enumerate(STORY, start=1):
        narration = zh if s.lang == "zh" else en
        typed = f"limitlab {words}" + (" --lang zh" if s.lang == "zh" else "")
        out.print(Rule(Text(f"{n}. {narration}", style="bold cyan"), align="left"))
        out.print(Text(f"$ {typed}", style="bold"))
        args = ["--db", path, *shlex.split(words)]
        if s.lang == "zh":
            args += ["--lang", "zh"]
        if words.startswith("init"):
            args.append("--force")
        code = command.main(args=args, prog_name="limitlab", standalone_mode=False) or 0
        if code != (expected[0] if expected else 0):
            raise UserError("demo.failed", EXIT_INTERNAL, n=n, command=typed, code=code)
        out.print()
    say(s, "demo.done", path=path)
