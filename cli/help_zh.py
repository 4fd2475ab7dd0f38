"""`--help` in Chinese: each command's English help is its docstring and each option's is its
`help=`; these are their 简体中文 twins, which the help screen shows when the language is zh
(tests check that every command, group and option has one)."""

from __future__ import annotations

APP = """模拟一个类似借呗的循环额度，并解释额度为什么用完了。

[b]示例[/b]

  limitlab init --income 8000 --start 2026-01-05
  limitlab borrow 20000 --term 12 --method equal-installment --yes
  limitlab advance --months 1
  limitlab status --detail
  limitlab why --lang zh

退出码：0 成功（管道另一端提前停止读取时也是 0）· 1 内部错误，或文件、输出无法写入 ·
2 输入错误 · 3 被信贷规则拒绝 · 4 数据库缺失、损坏或版本更新 · 130 已中断。
"""

COMMANDS: dict[str, str] = {
    "init": "开户（授信）：首次评估按信用分给出额度。\n\n示例：limitlab init --income 8000 --expenses 5000 --start 2026-01-05",
    "status": "账户现状：状态、信用分、额度、已用、可用、钱包、应还款。\n\n示例：limitlab status --detail",
    "borrow": "支用部分额度：先显示报价（期供、总利息、两种年化利率），再借款。\n\n示例：limitlab borrow 5000 --term 6 --method equal-principal --yes",
    "repay": "从钱包还款：先还罚息、逾期利息和逾期本金，再还其余部分；提前还款只收已用天数的利息。\n\n示例：limitlab repay 2000 · limitlab repay --overdue · limitlab repay --all",
    "advance": "让模拟时间逐日推进：发薪、自动扣款、逾期、评估。\n\n示例：limitlab advance --months 1 · limitlab advance --to 2026-06-30",
    "schedule": "某笔借款（或全部未结清借款）的还款计划。\n\n示例：limitlab schedule 1 --json",
    "history": "按时间顺序列出发生的事件：申请、借款、还款、发薪、逾期、评估。\n\n示例：limitlab history --kind application_refused --kind borrowed",
    "limits": "每一次额度变动：触发原因，以及本次变动在自上次评估以来发生变化的各项因素之间的拆分（金额与依据）。\n\n示例：limitlab limits --json",
    "score": "信用分明细：五个维度、每个属性的取值、区间、得分与差距。\n\n示例：limitlab score --json",
    "verify": "从空账户重放命令日志，比对状态与事件；一致时退出码为 0，否则为 1 并给出第一处差异。\n\n示例：limitlab verify",
    "why": "额度为什么用完了：额度瀑布、每个原因所占的缺口份额（阻断借款的原因排在最前）、怎么办与何时恢复（均经模拟得出），以及信用分为何不更高。\n\n示例：limitlab why · limitlab why --amount 5000 --lang zh",
    "notice": "最近一次降额或关闭额度的正式通知：措施、日期、最多四个主要原因，以及是否针对整个人群。\n\n示例：limitlab notice --lang zh",
    "what-if": '在账户副本上试算若干操作，对比前后变化；不写入任何内容。\n\n示例：limitlab what-if "payoff Huabei" "wait 30" "borrow 5000"',
    "plan": "使某金额可用的最省钱方案：还清逾期、还清其他机构、等待某个日期、偿还本金，并给出每步所需现金和可用日期。\n\n示例：limitlab plan --need 5000",
    "demo": "播放完整一课：开户、借款、被拒、多头借贷、逾期、原因、还款、恢复。\n\n示例：limitlab demo --lang zh",
    "glossary": "学习中会遇到的术语，附上本账户中的例子。\n\n示例：limitlab glossary 额度",
    "chart": "额度、已用、可用和信用分随时间的变化，由账户事件重建。\n\n示例：limitlab chart --months 3",
    "wallet": "把自己的现金存入或取出钱包。\n\n示例：limitlab wallet deposit 3000",
    "wallet deposit": "向钱包存入现金。\n\n示例：limitlab wallet deposit 3000",
    "wallet withdraw": "从钱包取出（花掉）现金。\n\n示例：limitlab wallet withdraw 2500",
    "profile": "修改申报的资料（收入、工作等）。\n\n示例：limitlab profile set --income 5000",
    "profile set": "修改申报资料，并立即重新评估额度；收入下降 30% 及以上记为 INCOME_DROP。\n\n示例：limitlab profile set --income 5000",
    "external": "在其他机构的借款（多头借贷）。\n\n示例：limitlab external list",
    "external add": "记录一笔其他机构的借款，并立即重新评估额度。\n\n示例：limitlab external add --lender Huabei --balance 6000 --monthly 600",
    "external repay": "从钱包偿还其他机构（不写金额即全部还清）。\n\n示例：limitlab external repay Huabei",
    "external list": "仍有余额的其他机构借款。\n\n示例：limitlab external list",
    "platform": "平台事件：风控收紧、系统维护。\n\n示例：limitlab platform list",
    "platform tighten": '平台对某一人群收紧风控，到期自动结束。\n\n示例：limitlab platform tighten --factor 0.5 --days 30 --cohort "score<700"',
    "platform maintenance": "系统升级：所有用户暂停借款，到期自动结束。\n\n示例：limitlab platform maintenance --days 2",
    "platform list": "全部平台措施（生效中或已结束）。\n\n示例：limitlab platform list",
    "policy": "信贷政策：规则中的每一个数字。\n\n示例：limitlab policy show",
    "policy show": "当前生效的政策：账户的、--policy 文件的，或默认值。\n\n示例：limitlab --policy strict.toml policy show",
    "scenario": "脚本化课程：内置场景或自己的 TOML 文件。\n\n示例：limitlab scenario list",
    "scenario list": "内置场景及其标题。\n\n示例：limitlab scenario list",
    "scenario run": "在新数据库中播放一个场景，打印每一步的命令和旁白。\n\n示例：limitlab scenario run multi-lender --step",
    "scenario check": "静默播放场景并检查每个预期；有预期不成立时退出码为 1。\n\n示例：limitlab scenario check examples/*.toml",
}


#: Each option's and argument's help, keyed by its English text.
OPTIONS: dict[str, str] = {
    "Show this message and exit.": "显示本帮助并退出。",
    "The account's database file (or LIMITLAB_DB).": "账户的数据库文件（或设置 LIMITLAB_DB）。",
    "Print JSON (money as integer *_fen fields).": "输出 JSON（金额为整数 *_fen 字段，单位：分）。",
    "Print JSON.": "输出 JSON。",
    "en or zh (or set LIMITLAB_LANG).": "en 或 zh（或设置 LIMITLAB_LANG）。",
    "A TOML policy file laid over the defaults.": "覆盖在默认值之上的 TOML 政策文件。",
    "Show the version and exit.": "显示版本并退出。",
    # Typer's own words for its completion options (a test pins them: an upgrade that rewords
    # them fails the tests instead of showing English to a Chinese reader).
    "Install completion for the current shell.": "为当前 shell 安装命令补全。",
    "Show completion for the current shell, to copy it or customize the installation.": "显示当前 shell 的补全脚本，可复制或自行安装。",
    "Monthly income, yuan.": "月收入，单位：元。",
    "Monthly expenses, yuan.": "月支出，单位：元。",
    "Months in the current job.": "在当前工作的月数。",
    "Real-name verified.": "已实名认证。",
    "Pays social insurance / housing fund (社保/公积金).": "缴纳社保/公积金。",
    "Social-trust figure, 0–100.": "社交信任值，0–100。",
    "Cash in the wallet at the start, yuan.": "钱包初始现金，单位：元。",
    "Payday, day of month 1–28.": "发薪日，每月 1–28 日。",
    "Payday, 1–28.": "发薪日，1–28。",
    "The simulation's first day (YYYY-MM-DD); default: today.": "模拟的第一天（YYYY-MM-DD）；默认：今天。",
    "Replace an existing account.": "替换已有账户。",
    "Show the waterfall from base limit to available.": "显示从基础额度到可用额度的瀑布。",
    "Also save the screen for slides: FILE.svg, .html or .txt.": "同时把屏幕保存为幻灯片素材：FILE.svg、.html 或 .txt。",
    "With --export: replace FILE even if it is not an export limitlab wrote.": "与 --export 一起使用：即使 FILE 不是 limitlab 导出的文件也替换它。",
    "How much to borrow, yuan.": "借款金额，单位：元。",
    "Months: 3, 6 or 12.": "期数（月）：3、6 或 12。",
    "equal-installment (按月等额), equal-principal (按月等本) or interest-first (先息后本).": "equal-installment（按月等额）、equal-principal（按月等本）或 interest-first（先息后本）。",
    "Show the quote; borrow nothing.": "只显示报价，不借款。",
    "Do not ask for confirmation.": "不再询问确认。",
    "How much to repay, yuan.": "还款金额，单位：元。",
    "How much, yuan.": "金额，单位：元。",
    "Repay this loan only.": "只还这一笔借款。",
    "Repay everything owed (early repayment is free).": "结清全部欠款（提前还款不收违约金）。",
    "Repay exactly what is overdue.": "恰好还清逾期部分。",
    "Days to let pass.": "推进的天数。",
    "Calendar months to let pass.": "推进的自然月数。",
    "Let time pass up to this date (YYYY-MM-DD).": "推进到这一天（YYYY-MM-DD）。",
    "A loan id; default: every live loan.": "借款编号；默认：全部未结清借款。",
    "Only these event kinds (repeatable), e.g. borrowed, overdue, limit_review.": "只看这些事件类型（可重复），例如 borrowed、overdue、limit_review。",
    "From this date (YYYY-MM-DD).": "从这一天起（YYYY-MM-DD）。",
    "Up to this date (YYYY-MM-DD).": "到这一天为止（YYYY-MM-DD）。",
    "Only the last N events.": "只看最近 N 条事件。",
    "Why can't I borrow this much now?": "为什么现在借不到这么多？",
    'Commands as you would type them after "limitlab", each in quotes: "repay 5000", "advance --days 30", "external repay Huabei", "profile set --income 9000", "borrow 3000"; or the short forms "wait 30", "payoff Huabei", "income 9000".': '照在 "limitlab" 之后输入的样子写命令，每条加引号："repay 5000"、"advance --days 30"、"external repay Huabei"、"profile set --income 9000"、"borrow 3000"；或简写 "wait 30"、"payoff Huabei"、"income 9000"。',
    "How much you want available.": "希望可用的金额。",
    "Ready by this date (default: within 180 days).": "在这一天之前做到（默认：180 天内）。",
    "Where to keep the demo's database (a new file); default: a temporary folder.": "演示数据库存放在哪里（须为新文件）；默认：临时文件夹。",
    "Wait for Enter between steps (on a terminal).": "每步之间等待回车（在终端上）。",
    "Replace the --db file if it exists.": "--db 文件已存在时替换它。",
    "Replace the --db file, and an --export FILE limitlab did not write, if they exist.": "--db 文件已存在时替换它；--export 的 FILE 已存在且不是 limitlab 导出的文件时也替换它。",
    "One term, by its Chinese or English name (e.g. 额度, DTI).": "一个术语，用中文或英文名（例如 额度、DTI）。",
    "Only the last N months.": "只看最近 N 个月。",
    "The other lender's name.": "其他机构的名称。",
    "What is owed there, yuan.": "在该机构的欠款，单位：元。",
    "Its monthly payment, yuan.": "该笔借款的月供，单位：元。",
    "Default: all of it.": "默认：全部还清。",
    "Limits are multiplied by this, e.g. 0.5.": "额度乘以这个系数，例如 0.5。",
    "How long the measure lasts.": "措施持续的天数。",
    'Who it applies to, e.g. "score<650" or "lenders>=3 and dti>0.5".': '适用人群，例如 "score<650" 或 "lenders>=3 and dti>0.5"。',
    "How long borrowing is paused.": "暂停借款的天数。",
    "A scenario file or a bundled name.": "场景文件或内置场景名。",
    "Where to keep its database (a new file); default: a temporary folder.": "它的数据库存放在哪里（须为新文件）；默认：临时文件夹。",
    "Scenario files or bundled names.": "场景文件或内置场景名。",
}
