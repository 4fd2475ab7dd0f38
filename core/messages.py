"""The message catalogue: every user-facing string, in English and 简体中文, looked up by key.

`text(key, lang, **params)` formats one; a test walks the catalogue to check that both languages
exist for every key and use the same placeholders.
"""

from __future__ import annotations

import re
from typing import Any

LANGS = ("en", "zh")

CATALOGUE: dict[str, tuple[str, str]] = {
    # --- input errors (exit 2) ---
    "amount.format": (
        "Not an amount: '{text}'. Write it like 5000, 5000.50, 5,000 or ¥5,000.50.",
        "不是有效金额：'{text}'。请写成 5000、5000.50、5,000 或 ¥5,000.50。",
    ),
    "amount.decimals": (
        "'{text}' has more than two decimals; amounts go down to the fen (0.01).",
        "'{text}' 超过两位小数；金额最小单位是分（0.01）。",
    ),
    "amount.negative": (
        "'{text}' is negative; amounts must be positive.",
        "'{text}' 是负数；金额必须为正。",
    ),
    "amount.zero": ("The amount must be more than zero.", "金额必须大于零。"),
    "amount.too_large": (
        "'{text}' is too large; the most limitlab accepts is ¥1,000,000,000.00.",
        "'{text}' 太大；limitlab 接受的最大金额为 ¥1,000,000,000.00。",
    ),
    "date.bad": (
        "Not a date: '{text}'. Use YYYY-MM-DD, for example 2026-03-01.",
        "不是有效日期：'{text}'。请用 YYYY-MM-DD 格式，例如 2026-03-01。",
    ),
    "option.bad": ("{option}: {problem}.", "{option}：{problem}。"),
    "echo.cut": ("{start}… ({length} characters)", "{start}…（共 {length} 个字符）"),
    "advance.which": (
        "Say how far to advance: --days N, --months N or --to DATE (one of them).",
        "请说明推进多久：--days N、--months N 或 --to 日期（三选一）。",
    ),
    "advance.positive": (
        "{option} must be at least 1 (got {value}).",
        "{option} 至少为 1（收到 {value}）。",
    ),
    "advance.too_many_months": (
        "--months {months} is too far in one step; the most is {most} months (50 years).",
        "--months {months} 一次推进太多；最多 {most} 个月（50 年）。",
    ),
    "db.empty": (
        "{where} is empty: name the account's file, or leave {where} out to use the default account.",
        "{where} 为空：请给出账户文件名，或去掉 {where} 以使用默认账户。",
    ),
    "repay.which": (
        "Say what to repay: an AMOUNT, --all or --overdue (one of them).",
        "请说明还多少：金额、--all 或 --overdue（三选一）。",
    ),
    # --- the help screen (cli/helpscreen.py) ---
    "help.usage": ("Usage:", "用法："),
    "help.options": ("Options", "选项"),
    "help.arguments": ("Arguments", "参数"),
    "help.commands": ("Commands", "命令"),
    "help.default": ("[default: {value}]", "[默认：{value}]"),
    "help.required": ("[required]", "[必填]"),
    # --- usage errors (exit 2), worded from the parser's exceptions (cli/helpscreen.py) ---
    "usage.try_help": ("Try '{command} -h' for help.", "运行 '{command} -h' 查看帮助。"),
    "usage.error": ("Error", "错误"),
    "usage.missing_argument": ("Missing argument {name}.", "缺少参数 {name}。"),
    "usage.missing_option": ("Missing option {name}.", "缺少选项 {name}。"),
    "usage.no_such_option": ("No such option: {name}", "没有这个选项：{name}"),
    "usage.possible_options": ("(Possible options: {names})", "（可用的选项：{names}）"),
    "usage.no_such_command": ("No such command '{name}'.", "没有这个命令：'{name}'。"),
    "usage.did_you_mean": ("Did you mean {names}?", "您是不是要找 {names}？"),
    "usage.extra_arguments": (
        "Got unexpected extra argument(s) ({words})",
        "多余的参数：（{words}）",
    ),
    "usage.needs_value": ("Option {name} requires a value.", "选项 {name} 需要一个值。"),
    "usage.takes_no_value": ("Option {name} does not take a value.", "选项 {name} 不接受值。"),
    "usage.invalid_value": ("Invalid value for {name}: {problem}", "{name} 的值无效：{problem}"),
    "usage.not_an_integer": ("a whole number is needed", "需要一个整数"),
    "usage.too_small": ("it must be at least {limit}", "不能小于 {limit}"),
    "usage.missing_command": ("Missing command.", "缺少命令。"),
    "usage.aborted": ("Aborted.", "已取消。"),
    "lang.bad": ("Unknown language '{text}'; use en or zh.", "未知语言 '{text}'；请用 en 或 zh。"),
    "policy.error": (
        "Policy {path}: '{setting}' {problem}.",
        "政策文件 {path}：'{setting}' {problem}。",
    ),
    "history.kind": (
        "No event kind '{kind}'; the kinds are: {kinds}.",
        "没有事件类型 '{kind}'；可用类型：{kinds}。",
    ),
    "policy.applies": (
        "Note: this quote uses the policy in {path}; it becomes the account's policy with this borrow.",
        "注意：本报价使用 {path} 中的政策；借款成功后它将成为账户的政策。",
    ),
    "policy.read_only": (
        "Note: {path} differs from the account's policy; it takes effect with the next command that changes the account. This screen uses the account's policy.",
        "注意：{path} 与账户现有政策不同；将在下一个修改账户的命令时生效。本画面使用账户现有政策。",
    ),
    "validation.int_parsing": ("should be a whole number", "应为整数"),
    "validation.int_type": ("should be a whole number", "应为整数"),
    "validation.decimal_parsing": ("should be a number", "应为数字"),
    "validation.decimal_type": ("should be a number", "应为数字"),
    "validation.bool_parsing": ("should be true or false", "应为 true 或 false"),
    "validation.bool_type": ("should be true or false", "应为 true 或 false"),
    "validation.string_type": ("should be text", "应为文本"),
    "validation.text_too_long": (
        "is {length} characters long; at most {max_length} are allowed",
        "长 {length} 个字符，最多允许 {max_length} 个",
    ),
    "validation.text_hidden": (
        "holds a control or invisible character ({char}); write printable text on one line",
        "含有控制字符或不可见字符（{char}）；请只写一行可打印的文字",
    ),
    "validation.tuple_type": ("should be a list", "应为列表"),
    "validation.list_type": ("should be a list", "应为列表"),
    "validation.dict_type": ("should be a table", "应为表"),
    "validation.date_from_datetime_parsing": (
        "should be a date (YYYY-MM-DD)",
        "应为日期（YYYY-MM-DD）",
    ),
    "validation.date_parsing": ("should be a date (YYYY-MM-DD)", "应为日期（YYYY-MM-DD）"),
    "validation.date_type": ("should be a date (YYYY-MM-DD)", "应为日期（YYYY-MM-DD）"),
    "validation.date_from_datetime_inexact": (
        "should be a date (YYYY-MM-DD) without a time of day",
        "应为日期（YYYY-MM-DD），不带时间",
    ),
    "validation.greater_than": ("should be greater than {gt}", "应大于 {gt}"),
    "validation.greater_than_equal": ("should be at least {ge}", "应至少为 {ge}"),
    "validation.less_than": ("should be less than {lt}", "应小于 {lt}"),
    "validation.less_than_equal": ("should be at most {le}", "应至多为 {le}"),
    "validation.too_short": ("needs at least {min_length} item(s)", "至少需要 {min_length} 项"),
    "validation.unexpected_keyword_argument": (
        "is not a setting limitlab knows",
        "不是 limitlab 认识的设置",
    ),
    "validation.extra_forbidden": ("is not a key limitlab knows", "不是 limitlab 认识的键"),
    "validation.missing": ("is required", "为必填项"),
    "validation.missing_argument": ("is required", "为必填项"),
    "validation.one_kind": (
        "a step needs exactly one of 'do' or 'show'",
        "每一步必须且只能有 'do' 或 'show' 之一",
    ),
    "validation.unknown_action": (
        "unknown action '{word}'; use one of {choices}",
        "未知操作 '{word}'；可用：{choices}",
    ),
    "validation.unknown_screen": (
        "unknown screen '{word}'; use one of {choices}",
        "未知画面 '{word}'；可用：{choices}",
    ),
    "validation.toml": ("not valid TOML: {detail}", "不是有效的 TOML：{detail}"),
    "validation.unreadable": ("cannot be read ({reason})", "无法读取（{reason}）"),
    "validation.no_tiers": ("needs at least one tier", "至少需要一个分档"),
    "validation.tiers_order": (
        "min_score must increase from tier to tier",
        "各分档的 min_score 必须递增",
    ),
    "validation.apr_ceiling": (
        "APR {apr} is above the {ceiling} ceiling",
        "年化利率 {apr} 超过 {ceiling} 上限",
    ),
    "validation.points_sum": (
        "the points add up to {total}, more than score_max − score_base",
        "分数合计 {total}，超过 score_max − score_base",
    ),
    "validation.close_after_cut": (
        "must be greater than cut_to_outstanding_dpd",
        "必须大于 cut_to_outstanding_dpd",
    ),
    "validation.effective_apr_ceiling": (
        "gives an effective APR of {apr} ({term} months, {method}), above the {ceiling} ceiling",
        "实际年化利率 {apr}（{term} 期，{method}）超过 {ceiling} 上限",
    ),
    "validation.below_limit_step": (
        "should be at least limit_step_fen ({step})",
        "不能小于 limit_step_fen（{step}）",
    ),
    "validation.points_count": (
        "needs exactly one more entry than edges ({edges} edges, {points} points)",
        "points 必须比 edges 多一项（edges {edges} 项，points {points} 项）",
    ),
    "validation.edges_order": ("edges must increase", "edges 必须递增"),
    "validation.no_bands": ("needs at least one band", "至少需要一个分数段"),
    "validation.bands_order": (
        "the bands' lowest scores must increase from band to band",
        "各分数段的最低分必须递增",
    ),
    "validation.plain_text": (
        "should be one line of printable text (no control or bidi characters)",
        "应为一行可打印文本（不含控制字符或双向控制字符）",
    ),
    "validation.finite_number": ("should be a finite number", "应为有限数值"),
    "validation.decimal_max_places": (
        "should have at most {decimal_places} decimal places",
        "小数位数不能超过 {decimal_places} 位",
    ),
    "validation.string_too_short": (
        "needs at least {min_length} character(s)",
        "至少需要 {min_length} 个字符",
    ),
    "validation.string_too_long": (
        "should have at most {max_length} characters",
        "不能超过 {max_length} 个字符",
    ),
    "validation.too_long": ("should have at most {max_length} entries", "不能超过 {max_length} 项"),
    "validation.dataclass_type": ("should be a table", "应为表"),
    "validation.invalid_key": ("a key should be text", "键应为文本"),
    "validation.value_type": (
        "should be a number, a text, a list or a table, not {type}",
        "应为数字、文本、列表或表，而不是 {type}",
    ),
    "validation.too_deep": ("nests deeper than {depth} levels", "嵌套超过 {depth} 层"),
    "validation.too_many_values": (
        "holds more than {max_values} values",
        "包含的值超过 {max_values} 个",
    ),
    "validation.not_utf8": (
        "is not UTF-8 text (byte {position})",
        "不是 UTF-8 文本（第 {position} 字节）",
    ),
    "validation.file_too_large": ("is larger than {max_bytes} bytes", "超过 {max_bytes} 字节"),
    "policy.missing": ("No policy file at {path}.", "找不到政策文件 {path}。"),
    "policy.file_error": ("Policy file {path}: {problem}.", "政策文件 {path}：{problem}。"),
    "policy.unreadable": (
        "Cannot read the policy file {path} ({detail}).",
        "无法读取政策文件 {path}（{detail}）。",
    ),
    "error.bad_payday": (
        "Payday must be a day of the month from 1 to 28 (got {value}).",
        "发薪日必须是每月 1 到 28 日之间（收到 {value}）。",
    ),
    "error.bad_trust": (
        "The social-trust figure goes from 0 to 100 (got {value}).",
        "社会信任值范围为 0 到 100（收到 {value}）。",
    ),
    "error.bad_employment": (
        "Employment months go from 0 to 720 (got {value}).",
        "在职月数范围为 0 到 720（收到 {value}）。",
    ),
    "error.bad_term": (
        "A term of {term} months is not offered; choose one of {terms}.",
        "不提供 {term} 个月的期限；请选择 {terms} 之一。",
    ),
    "error.bad_method": (
        "Unknown repayment method '{method}'; use equal-installment, equal-principal or interest-first.",
        "未知还款方式 '{method}'；请用 equal-installment（按月等额）、equal-principal（按月等本）或 interest-first（先息后本）。",
    ),
    "error.below_min_borrow": (
        "The smallest drawdown is {min}.",
        "单笔支用最低 {min}。",
    ),
    "error.no_such_loan": ("There is no live loan #{loan_id}.", "没有未结清的借款 #{loan_id}。"),
    "error.nothing_owed": (
        "You owe nothing: there is no loan to repay.",
        "您没有欠款：没有需要还的借款。",
    ),
    "error.nothing_overdue": ("Nothing is overdue.", "没有逾期款项。"),
    "error.repay_more_than_owed": (
        "{amount} is more than you owe ({owed}); repay at most that, or use --all.",
        "{amount} 超过您的欠款（{owed}）；最多还这么多，或使用 --all。",
    ),
    "error.advance_backwards": (
        "Time only moves forward: the account is on {today}, so {until} is not ahead.",
        "时间只能向前：账户当前日期为 {today}，{until} 不在其后。",
    ),
    "error.advance_too_far": (
        "{days} days is too far in one step; the most is {max_days}.",
        "一次推进 {days} 天太多；最多 {max_days} 天。",
    ),
    "error.advance_past_end": (
        "The simulated calendar ends on {last}: the account is on {today}, so it cannot advance to {until}.",
        "模拟日历止于 {last}：账户当前日期为 {today}，无法推进到 {until}。",
    ),
    "error.no_profile_change": (
        "Nothing to change: give at least one new value, e.g. --income 9000.",
        "没有要修改的内容：请至少给出一个新值，例如 --income 9000。",
    ),
    "error.bad_lender": (
        "A lender needs a name of 1 to 40 characters.",
        "出借机构名称须为 1 到 40 个字符。",
    ),
    "error.lender_exists": (
        "You already owe {lender}; repay it or use another name.",
        "您已有 {lender} 的借款；请先还清或换一个名称。",
    ),
    "error.no_such_lender": (
        "You owe nothing to a lender called '{lender}' (see limitlab external list).",
        "您没有名为 '{lender}' 的其他机构借款（见 limitlab external list）。",
    ),
    "error.bad_days": (
        "Days must be from 1 to 3650 (got {days}).",
        "天数须为 1 到 3650（收到 {days}）。",
    ),
    "error.bad_factor": (
        "The factor must be between 0 and 1, e.g. 0.5 (got {factor}).",
        "系数须在 0 与 1 之间，例如 0.5（收到 {factor}）。",
    ),
    "error.bad_cohort": (
        "Cannot read the cohort '{cohort}': {problem}. Example: \"score<650 and lenders>=3\".",
        "无法解析人群表达式 '{cohort}'：{problem}。示例：\"score<650 and lenders>=3\"。",
    ),
    "cohort.unexpected": (
        "unexpected '{text}' at position {position}",
        "第 {position} 个字符处有无法识别的 '{text}'",
    ),
    "cohort.empty": ("the expression is empty", "表达式为空"),
    "cohort.ends_early": ("the expression ends too early", "表达式不完整"),
    "cohort.too_deep": ("it nests deeper than {depth} levels", "嵌套超过 {depth} 层"),
    "cohort.too_long": (
        "it is {length} characters long; the most is {max_length}",
        "长度为 {length} 个字符；最多 {max_length} 个",
    ),
    "cohort.missing_paren": ("a ')' is missing", "缺少 ')'"),
    "cohort.unknown_name": (
        "unknown name '{name}'; use one of {names}",
        "未知名称 '{name}'；可用：{names}",
    ),
    "cohort.expected_comparison": (
        "expected a comparison after '{name}', got '{got}'",
        "'{name}' 之后应为比较符，实际为 '{got}'",
    ),
    "cohort.expected_number": (
        "expected a number after {name} {op}, got '{got}'",
        "{name} {op} 之后应为数字，实际为 '{got}'",
    ),
    "cohort.trailing": ("unexpected '{text}' at the end", "末尾有多余的 '{text}'"),
    "error.unknown_command": ("Unknown command {kind}.", "未知命令 {kind}。"),
    "error.quote_changed": (
        "The account changed after the quote (another limitlab wrote to it), so nothing was borrowed: the daily rate is now {now_daily_rate} (was {was_daily_rate}), the total interest {now_interest} (was {was_interest}), the first due date {now_first_due} (was {was_first_due}). Look at the new quote and borrow again.",
        "报价之后账户已变化（另一个 limitlab 写入了它），因此未借款：日利率现为 {now_daily_rate}（原为 {was_daily_rate}），总利息 {now_interest}（原为 {was_interest}），首期还款日 {now_first_due}（原为 {was_first_due}）。请查看新的报价后重新借款。",
    ),
    # --- store errors (exit 4) ---
    "store.missing": (
        "No account at {path}. Create one with: limitlab init",
        "{path} 没有账户。请先创建：limitlab init",
    ),
    "store.foreign": (
        "{path} is not a limitlab database ({detail}) and was left as it is; point --db at another file.",
        "{path} 不是 limitlab 数据库（{detail}），未做任何改动；请用 --db 指向其他文件。",
    ),
    "store.damaged": (
        "{path} is damaged and was not changed ({detail}); restore a copy, or move it aside and start again with limitlab init.",
        "{path} 已损坏，未做任何修改（{detail}）；请恢复备份，或将其移走后用 limitlab init 重新开始。",
    ),
    "store.newer": (
        "{path} comes from a newer limitlab ({detail}); upgrade limitlab to open it.",
        "{path} 来自更新版本的 limitlab（{detail}）；请升级 limitlab 后再打开。",
    ),
    "store.exists": (
        "An account already exists at {path}; add --force to replace it, or use --db for another file.",
        "{path} 已有账户；加 --force 覆盖，或用 --db 指定其他文件。",
    ),
    "store.unwritable": (
        "Cannot write {path} ({detail}); check the folder's permissions and free space.",
        "无法写入 {path}（{detail}）；请检查目录权限和剩余空间。",
    ),
    "store.busy": (
        "{path} is busy in another limitlab for too long; try again.",
        "{path} 被另一个 limitlab 占用过久；请重试。",
    ),
    "internal": (
        "Internal error: {detail}. Run again with LIMITLAB_DEBUG=1 for the traceback.",
        "内部错误：{detail}。设置 LIMITLAB_DEBUG=1 再运行可查看详细信息。",
    ),
    "interrupted": ("Interrupted; nothing was half-written.", "已中断；没有写入一半的数据。"),
    # --- refusals (exit 3) ---
    "output.failed": (
        "Could not write to standard output ({detail}); the command itself ran to its end, so a change it made is saved.",
        "无法写入标准输出（{detail}）；命令本身已执行完毕，它做出的修改已保存。",
    ),
    "file.failed": ("Cannot use {path} ({detail}).", "无法使用 {path}（{detail}）。"),
    "refuse.headline_used_up": (
        "Limit used up: {available} of {limit} available",
        "额度已用完：可用 {available} / 总额度 {limit}",
    ),
    "refuse.headline_short": (
        "Not enough limit: you asked for {amount}, {available} of {limit} is available",
        "额度不足：申请 {amount}，可用 {available} / 总额度 {limit}",
    ),
    "refuse.INSUFFICIENT_WALLET": (
        "Your wallet has {wallet}; this needs {amount}, so {missing} is missing. Add cash with: limitlab wallet deposit {missing_plain}",
        "钱包余额 {wallet}；需要 {amount}，还差 {missing}。可先充值：limitlab wallet deposit {missing_plain}",
    ),
    "refuse.recorded": (
        "This application was recorded and counts toward the frequent-application rule.",
        "本次申请已记录，并计入频繁申请规则。",
    ),
    "hint.why": (
        'Run "limitlab why" for the full explanation.',
        '运行 "limitlab why" 查看完整说明。',
    ),
    # --- state names ---
    "state.active": ("active", "正常"),
    "state.exhausted": ("exhausted", "额度已用完"),
    "state.suspended": ("suspended", "暂停借款"),
    "state.reduced": ("reduced", "额度已降低"),
    "state.closed": ("closed", "已关闭"),
    "state.not_eligible": ("not eligible", "暂无额度"),
    # --- methods ---
    "method.equal-installment": ("equal installment (按月等额)", "按月等额"),
    "method.equal-principal": ("equal principal (按月等本)", "按月等本"),
    "method.interest-first": ("interest first (先息后本)", "先息后本"),
    # --- labels ---
    "label.today": ("Today", "日期"),
    "label.state": ("State", "状态"),
    "label.score": ("Score", "信用分"),
    "label.limit": ("Credit limit", "总额度"),
    "label.used": ("Used (principal owed)", "已用（未还本金）"),
    "label.available": ("Available", "可用额度"),
    "label.daily_rate": ("Daily rate (new loans)", "日利率（新借款）"),
    "label.apr_simple": ("APR (simple, 年化利率(单利))", "年化利率(单利)"),
    "label.apr_effective": ("APR (effective)", "实际年化利率(复利)"),
    "label.next_due": ("Next due", "下次还款"),
    "label.wallet": ("Wallet", "钱包余额"),
    "label.overdue": ("Overdue", "逾期金额"),
    "label.dpd": ("Days past due", "逾期天数"),
    "label.suspended_by": ("Borrowing suspended", "借款已暂停"),
    "label.until": ("until {date}", "至 {date}"),
    "label.until_repaid": ("until the overdue amount is repaid", "直至还清逾期款项"),
    "label.permanent": ("permanently", "永久"),
    "label.amount": ("Amount", "金额"),
    "label.principal": ("Principal", "本金"),
    "label.interest": ("Interest", "利息"),
    "label.penalty": ("Penalty", "罚息"),
    "label.installment": ("Installment", "期供"),
    "label.due_date": ("Due date", "到期日"),
    "label.status": ("Status", "状态"),
    "label.seq": ("#", "期"),
    "label.total_interest": ("Total interest", "总利息"),
    "label.term": ("Term", "期限"),
    "label.months": ("{n} months", "{n} 个月"),
    "label.method": ("Method", "还款方式"),
    "label.loan": ("Loan", "借款"),
    "label.date": ("Date", "日期"),
    "label.event": ("Event", "事件"),
    "label.details": ("Details", "详情"),
    "label.code": ("Code", "代码"),
    "label.old_new": ("Old → new", "原 → 新"),
    "label.trigger": ("Trigger", "触发"),
    "label.reasons": ("Reasons", "原因"),
    "label.setting": ("Setting", "设置"),
    "label.value": ("Value", "值"),
    "label.dimension": ("Dimension", "维度"),
    "label.attribute": ("Attribute", "属性"),
    "label.band": ("Band", "区间"),
    "label.points": ("Points", "得分"),
    "label.max": ("Max", "满分"),
    "label.gap": ("Gap", "差距"),
    "label.key_factor": ("key factor", "主要因素"),
    "label.lender": ("Lender", "机构"),
    "label.balance": ("Balance", "余额"),
    "label.monthly": ("Monthly payment", "月供"),
    "label.since": ("Since", "起始"),
    "label.kind": ("Kind", "类型"),
    "label.factor": ("Factor", "系数"),
    "label.cohort": ("Cohort", "人群"),
    "label.ends": ("Ends", "结束"),
    "label.active": ("active", "生效中"),
    "label.ended": ("ended", "已结束"),
    "label.none": ("none", "无"),
    "label.all": ("everyone", "全部用户"),
    "inst.paid": ("paid", "已还"),
    "inst.overdue": ("overdue {dpd}d", "逾期 {dpd} 天"),
    "inst.due": ("due", "待还"),
    "inst.upcoming": ("upcoming", "未到期"),
    "title.status": ("Account on {today}", "账户概况（{today}）"),
    "title.quote": (
        "Quote: {amount} over {term} months, {method}",
        "报价：{amount}，{term} 个月，{method}",
    ),
    "title.schedule": (
        "Loan #{loan_id}: {amount}, {method}, drawn {drawn_on}",
        "借款 #{loan_id}：{amount}，{method}，{drawn_on} 支用",
    ),
    "title.history": ("History", "历史记录"),
    "title.limits": ("Limit changes", "额度变动"),
    "title.score": ("Score {score} ({band}) on {today}", "信用分 {score}（{band}），{today}"),
    "title.external": ("Other lenders (多头借贷)", "其他机构借款（多头借贷）"),
    "title.platform": ("Platform measures", "平台措施"),
    "title.policy": ("Policy", "政策参数"),
    "note.apr_warn": (
        "Warning: this APR is above 24 %, dearer than most regulated lenders.",
        "提示：年化利率高于 24%，高于多数合规机构。",
    ),
    "note.score_weights": (
        "Weights are a teaching assumption: history 35 %, behaviour 25 %, capacity 20 %, identity 15 %, social 5 %.",
        "权重为教学假设：信用历史 35%、行为偏好 25%、履约能力 20%、身份特质 15%、人脉关系 5%。",
    ),
    "confirm.borrow": ("Borrow {amount} on these terms?", "按以上条件借款 {amount}？"),
    "ok.cancelled": ("Cancelled; nothing was borrowed.", "已取消，未借款。"),
    "ok.opened": (
        "Account opened on {today}: score {score}, credit limit {limit} at {rate} a day.",
        "账户已于 {today} 开立：信用分 {score}，额度 {limit}，日利率 {rate}。",
    ),
    "ok.not_eligible": (
        "Account opened on {today}: score {score} is below {min_score}, so no limit yet.",
        "账户已于 {today} 开立：信用分 {score} 低于 {min_score}，暂无额度。",
    ),
    "ok.borrowed": (
        "Borrowed {amount} as loan #{loan_id}; available now {available}.",
        "已借款 {amount}（借款 #{loan_id}）；当前可用 {available}。",
    ),
    "ok.repaid": (
        "Repaid {paid}: penalty {penalty}, interest {interest}, principal {principal}. Available now {available}.",
        "已还款 {paid}：罚息 {penalty}，利息 {interest}，本金 {principal}。当前可用 {available}。",
    ),
    "ok.overdue_cleared": (
        "Everything overdue is repaid: the suspension is lifted (the bureau record, if any, stays).",
        "逾期款项已还清，借款暂停已解除（如已上报征信，记录仍保留）。",
    ),
    "ok.wallet": ("Wallet now {wallet}.", "钱包余额 {wallet}。"),
    "ok.advanced": ("Now {today} ({days} days later).", "当前日期 {today}（推进 {days} 天）。"),
    "ok.profile": (
        "Profile updated; the limit was reviewed: {limit}.",
        "资料已更新并重新评估额度：{limit}。",
    ),
    "ok.external_added": (
        "Added {lender}; the limit was reviewed: {limit}.",
        "已添加 {lender}；重新评估额度：{limit}。",
    ),
    "ok.external_repaid": (
        "Repaid {amount} to {lender}; balance {balance}.",
        "已向 {lender} 还款 {amount}；余额 {balance}。",
    ),
    "ok.platform": (
        "Platform measure #{measure_id} runs until {ends_on}.",
        "平台措施 #{measure_id} 持续至 {ends_on}。",
    ),
    "ok.policy": (
        "Policy changed; the limit was reviewed: {limit}.",
        "政策已更改并重新评估额度：{limit}。",
    ),
    "ok.verified": (
        "Verified: replaying the command log ({commands} in all) gives the same state and events.",
        "校验通过：重放 {commands} 条命令得到相同的状态和事件。",
    ),
    "fail.verify": ("Verification failed: {difference}", "校验失败：{difference}"),
    "demo.step": ("Step {n}: {text}", "第 {n} 步：{text}"),
    "export.format": (
        "Cannot export to {path}: use a name ending in .svg, .html or .txt.",
        "无法导出到 {path}：文件名须以 .svg、.html 或 .txt 结尾。",
    ),
    "export.folder": (
        "Cannot export to {path}: its folder does not exist.",
        "无法导出到 {path}：目录不存在。",
    ),
    "export.with_json": (
        "Cannot export to {path} with --json: --json prints the data, --export saves the screen; use one of them.",
        "无法在 --json 下导出到 {path}：--json 输出数据，--export 保存屏幕画面；请二选一。",
    ),
    "export.account": (
        "Cannot export to {path}: it is the account's database (or one of its -wal/-shm files).",
        "无法导出到 {path}：它是账户的数据库（或其 -wal/-shm 文件）。",
    ),
    "export.not_a_file": (
        "Cannot export to {path}: it is not a regular file (a folder or a device).",
        "无法导出到 {path}：它不是普通文件（而是目录或设备）。",
    ),
    "export.not_ours": (
        "{path} exists and is not an export limitlab wrote; add --force to replace it, or choose another name.",
        "{path} 已存在，且不是 limitlab 导出的文件；加 --force 替换它，或换一个文件名。",
    ),
    "export.not_ours_lesson": (
        "A lesson cannot replace {path}: it exists and is not an export limitlab wrote.",
        "课程不能替换 {path}：该文件已存在，且不是 limitlab 导出的文件。",
    ),
    "export.outside_lesson": (
        "A lesson exports only inside its own folder ({folder}); {path} is outside it.",
        "课程只能导出到它自己的目录（{folder}）中；{path} 在该目录之外。",
    ),
    "export.unusable": ("Cannot export to {path} ({detail}).", "无法导出到 {path}（{detail}）。"),
    "export.unwritable": (
        "Cannot write the export {path} ({detail}); nothing else was changed.",
        "无法写入导出文件 {path}（{detail}）；其他内容均未改动。",
    ),
    "export.saved": ("Saved {path}.", "已保存 {path}。"),
    "progress.advance": ("Simulating days", "正在模拟"),
    "progress.plan": ("Searching plans", "正在搜索方案"),
    "progress.check": ("Checking scenarios", "正在检查场景"),
    "attribute.worst_dpd_24m": ("worst days past due (24 months)", "24 个月内最长逾期天数"),
    "attribute.on_time_installments": ("installments paid on time", "按时还款期数"),
    "attribute.account_age_months": ("account age (months)", "账龄（月）"),
    "attribute.utilisation_pct": ("utilisation %", "额度使用率 %"),
    "attribute.applications_30d": ("applications in 30 days", "30 天内申请次数"),
    "attribute.other_lenders": ("other lenders", "其他借款机构数"),
    "attribute.monthly_income_yuan": ("monthly income (yuan)", "月收入（元）"),
    "attribute.dti_pct": ("debt-to-income %", "负债收入比 %"),
    "attribute.verified": ("real-name verified", "实名认证"),
    "attribute.employment_months": ("months in the job", "在职月数"),
    "attribute.social_insurance": ("social insurance / housing fund", "社保/公积金"),
    "attribute.trust": ("social trust", "社会信任"),
    "band.poor": ("poor", "较差"),
    "band.fair": ("fair", "中等"),
    "band.good": ("good", "良好"),
    "band.very_good": ("very good", "优秀"),
    "band.excellent": ("excellent", "极好"),
    "dimension.history": ("history", "信用历史"),
    "dimension.behaviour": ("behaviour", "行为偏好"),
    "dimension.capacity": ("capacity", "履约能力"),
    "dimension.identity": ("identity", "身份特质"),
    "dimension.social": ("social", "人脉关系"),
    "words.bad": (
        "Cannot split '{text}' into words ({problem}).",
        "无法把 '{text}' 拆分为单词（{problem}）。",
    ),
    "scenario.own_account": (
        "{path} is your account (the --db or LIMITLAB_DB in use); a lesson plays into a file of its own.",
        "{path} 是您正在使用的账户（--db 或 LIMITLAB_DB）；课程需要使用单独的文件。",
    ),
    "reason.LIMIT_EXCEEDED.title": ("Not enough room under the limit", "额度不足"),
    "whatif.failed": (
        "{action}: exit code {code} — {message}",
        "{action}：退出码 {code} — {message}",
    ),
    "whatif.short_form": (
        "'{action}': the short form {form} takes exactly one value, e.g. \"wait 30\".",
        "'{action}'：简写 {form} 只接受一个值，例如 \"wait 30\"。",
    ),
    "whatif.action": (
        "'{action}' cannot be tried; use one of: {allowed}.",
        "无法试算 '{action}'；请使用：{allowed}。",
    ),
    "whatif.title": ("What if: {actions}", "如果：{actions}"),
    "whatif.before": ("Before", "之前"),
    "whatif.after": ("After", "之后"),
    "whatif.nothing_written": (
        "Nothing was written: the account is unchanged.",
        "未写入任何内容：账户保持不变。",
    ),
    "plan.past": (
        "--by {by} is before the account's date {today}.",
        "--by {by} 早于账户当前日期 {today}。",
    ),
    "plan.title": ("Plan: {need} available", "计划：可用 {need}"),
    "plan.ready": ("Ready on {date}, costing {cash} in cash.", "{date} 可用，需现金 {cash}。"),
    "plan.none": (
        "No plan within reach makes {need} available (blocked by {code}: {why}).",
        "在可行范围内无法使 {need} 可用（受限于 {code}：{why}）。",
    ),
    "plan.already": (
        "{need} is available now: nothing to do.",
        "现在即可借 {need}：无需任何操作。",
    ),
    "plan.step.deposit": ("Put {amount} into the wallet", "向钱包存入 {amount}"),
    "plan.step.repay_overdue": ("Repay everything overdue: {amount}", "还清全部逾期：{amount}"),
    "plan.step.external_repay": ("Pay off {lender}: {amount}", "还清 {lender}：{amount}"),
    "plan.step.wait": ("Wait until {date}", "等待至 {date}"),
    "plan.step.repay_principal": (
        "Repay {amount} (principal, and the interest accrued)",
        "还款 {amount}（本金及已产生利息）",
    ),
    "plan.step.borrow": ("Borrow {amount}", "借款 {amount}"),
    "plan.col_cash": ("Cash", "现金"),
    "scenario.unknown": (
        "No scenario file or bundled scenario called '{text}'; bundled: {names}.",
        "没有名为 '{text}' 的场景文件或内置场景；内置场景：{names}。",
    ),
    "scenario.invalid": ("{name}: {where}: {problem}", "{name}：{where}：{problem}"),
    "scenario.too_large": (
        "{name}: the file is {size} bytes; a scenario file is at most {most} bytes.",
        "{name}：文件有 {size} 字节；场景文件最多 {most} 字节。",
    ),
    "scenario.too_many_steps": (
        "{name}: {steps} steps; a scenario has at most {most} steps.",
        "{name}：共 {steps} 步；一个场景最多 {most} 步。",
    ),
    "scenario.step": ("step {n} ({command}): {problem}", "第 {n} 步（{command}）：{problem}"),
    "scenario.unmet.exit": ("exit code {got}, expected {wanted}", "退出码为 {got}，应为 {wanted}"),
    "scenario.unmet.value": (
        "{field} should be {wanted}, got {got}",
        "{field} 应为 {wanted}，实际为 {got}",
    ),
    "scenario.unmet.reasons": (
        "reasons should include {wanted}, got {got}",
        "原因应包含 {wanted}，实际为 {got}",
    ),
    "scenario.unmet.score_at_least": (
        "score should be at least {wanted}, got {got}",
        "信用分应至少为 {wanted}，实际为 {got}",
    ),
    "scenario.unmet.score_at_most": (
        "score should be at most {wanted}, got {got}",
        "信用分应至多为 {wanted}，实际为 {got}",
    ),
    "scenario.passed": ("{name}: all {steps} steps hold.", "{name}：全部 {steps} 步符合预期。"),
    "scenario.failed": ("{name}: {count} expectation(s) failed:", "{name}：{count} 项预期未满足："),
    "title.scenarios": ("Bundled scenarios", "内置场景"),
    "label.name": ("Name", "名称"),
    "label.title": ("Title", "标题"),
    "scenario.press_enter": ("(Enter for the next step)", "（按回车进入下一步）"),
    "demo.failed": (
        "The demo stopped at step {n} ({command}): it ended with exit code {code}.",
        "演示在第 {n} 步（{command}）停止：退出码 {code}。",
    ),
    "demo.done": (
        "Demo finished. Its database is {path}; explore it with --db {path}.",
        "演示结束。数据库在 {path}；可用 --db {path} 继续查看。",
    ),
    # --- events (history) ---
    "event.opened": ("Account opened", "开立账户"),
    "event.limit_review": (
        "Limit review ({trigger}): {old} → {new} {codes}",
        "额度评估（{trigger}）：{old} → {new} {codes}",
    ),
    "event.borrowed": (
        "Borrowed {principal} as loan #{loan_id} ({term} months)",
        "借款 {principal}（借款 #{loan_id}，{term} 个月）",
    ),
    "event.application_refused": (
        "Application for {amount} refused: {code}",
        "申请 {amount} 被拒：{code}",
    ),
    "event.repaid": (
        "Repaid {total} (principal {principal}, interest {interest}, penalty {penalty})",
        "还款 {total}（本金 {principal}，利息 {interest}，罚息 {penalty}）",
    ),
    "event.autopay": (
        "Autopay took {total} (principal {principal}, interest {interest}, penalty {penalty})",
        "自动扣款 {total}（本金 {principal}，利息 {interest}，罚息 {penalty}）",
    ),
    "event.autopay_short": (
        "Autopay could not collect {missing}: the wallet is empty",
        "自动扣款失败，差 {missing}：钱包余额不足",
    ),
    "event.overdue": (
        "Installment {seq} of loan #{loan_id} (due {due_date}) is overdue",
        "借款 #{loan_id} 第 {seq} 期（{due_date} 到期）逾期",
    ),
    "event.overdue_cleared": (
        "Everything overdue repaid: suspension lifted",
        "逾期已还清：借款暂停解除",
    ),
    "event.overdue_milestone": (
        "{dpd} days past due: the limit is cut to the principal owed",
        "逾期 {dpd} 天：额度降至未还本金",
    ),
    "event.bureau_report": (
        "Reported to the credit bureau: loan #{loan_id} installment {seq}, {dpd} days late",
        "上报征信：借款 #{loan_id} 第 {seq} 期，逾期 {dpd} 天",
    ),
    "event.account_closed": ("Line closed after {dpd} days past due", "逾期 {dpd} 天，额度关闭"),
    "event.loan_paid_off": ("Loan #{loan_id} paid off", "借款 #{loan_id} 已结清"),
    "event.payday": (
        "Payday: +{income} income, −{expenses} expenses",
        "发薪日：收入 +{income}，支出 −{expenses}",
    ),
    "event.wallet_deposit": ("Deposited {amount} into the wallet", "钱包存入 {amount}"),
    "event.wallet_withdraw": ("Withdrew {amount} from the wallet", "钱包取出 {amount}"),
    "event.score_changed": ("Score {old} → {new}", "信用分 {old} → {new}"),
    "event.profile_changed": ("Profile changed: {fields}", "资料变更：{fields}"),
    "event.income_drop": ("Income fell from {old} to {new}", "收入由 {old} 降至 {new}"),
    "event.external_added": (
        "Loan at {lender}: {balance}, {monthly} a month",
        "{lender} 借款：{balance}，月供 {monthly}",
    ),
    "event.external_repaid": (
        "Repaid {amount} to {lender}; {balance} left",
        "向 {lender} 还款 {amount}；余 {balance}",
    ),
    "event.cooloff_started": (
        "{count} applications in {days} days: cool-off until {until}",
        "{days} 天内申请 {count} 次：冷静期至 {until}",
    ),
    "event.cooloff_ended": ("Cool-off ended", "冷静期结束"),
    "event.platform_started": (
        "Platform {kind} #{id} until {ends_on}",
        "平台{kind} #{id}，至 {ends_on}",
    ),
    "event.platform_ended": ("Platform measure #{id} ended", "平台措施 #{id} 结束"),
    "event.policy_changed": ("Policy changed", "政策变更"),
    "platform.tighten": ("risk-policy tightening", "风控收紧"),
    "platform.maintenance": ("maintenance", "系统维护"),
    "trigger.opening": ("opening", "开户"),
    "trigger.scheduled": ("scheduled", "定期"),
    "trigger.profile": ("profile change", "资料变更"),
    "trigger.external": ("other lenders", "其他机构借款"),
    "trigger.overdue": ("overdue", "逾期"),
    "trigger.platform": ("platform", "平台"),
    "trigger.policy": ("policy", "政策"),
    "binding.tier_cap": ("score tier cap", "信用分档上限"),
    "binding.income_cap": ("income cap", "收入倍数上限"),
    "binding.regulatory_cap": ("regulatory cap", "监管上限"),
    "binding.not_eligible": ("not eligible", "不符合条件"),
    # --- the explanation: waterfall lines ---
    "line.BASE_LIMIT": ("Base limit", "基础额度"),
    "line.MULTI_LENDER": ("Other lenders cut", "多头借贷调减"),
    "line.HIGH_DTI": ("Debt-to-income cut", "负债收入比调减"),
    "line.CREDIT_RECORD": ("Credit record cut", "征信逾期记录调减"),
    "line.OVERDUE": ("Overdue", "逾期"),
    "line.REVIEW_PENDING": ("Raise waiting for a review", "提额待评估"),
    "line.PLATFORM_POLICY": ("Platform tightening", "平台风控收紧"),
    "line.ACCOUNT_CLOSED": ("Line closed", "额度关闭"),
    "line.CREDIT_LIMIT": ("Credit limit", "总额度"),
    "line.USED_BY_LOANS": ("Principal you owe", "未还本金占用"),
    "line.OVER_LIMIT": (
        "Owed above the limit (not available twice)",
        "超出额度的欠款（不重复扣减）",
    ),
    "line.held.OVERDUE": ("Held back: suspended while overdue", "冻结：逾期期间暂停借款"),
    "line.held.MAINTENANCE": ("Held back: platform maintenance", "冻结：平台系统维护"),
    "line.held.FREQUENT_APPLICATIONS": (
        "Held back: cool-off after frequent applications",
        "冻结：频繁申请冷静期",
    ),
    "line.held.ACCOUNT_CLOSED": ("Held back: line closed", "冻结：额度已关闭"),
    "line.AVAILABLE": ("Available", "可用额度"),
    # --- reasons: titles ---
    "reason.USED_BY_LOANS.title": ("Drawn down by your own loans", "被您自己的借款占用"),
    "reason.OVERDUE.title": ("Overdue repayment", "逾期未还"),
    "reason.FREQUENT_APPLICATIONS.title": ("Too many applications: cool-off", "频繁申请：冷静期"),
    "reason.MULTI_LENDER.title": ("Loans at several other lenders", "多头借贷"),
    "reason.HIGH_DTI.title": ("High debt-to-income", "负债收入比过高"),
    "reason.INCOME_DROP.title": ("Income fell", "收入下降"),
    "reason.CREDIT_RECORD.title": ("Overdue on your credit record", "征信有逾期记录"),
    "reason.LATE_PAYMENT.title": (
        "A past late payment (not reported)",
        "过往逾期（未上报征信）",
    ),
    "reason.SCORE_DROP.title": ("Score fell at a review", "信用分下降"),
    "reason.PLATFORM_POLICY.title": ("Platform risk-policy tightening", "平台风控政策收紧"),
    "reason.MAINTENANCE.title": ("Platform maintenance", "平台系统维护"),
    "reason.ACCOUNT_CLOSED.title": (
        "Line closed after 90 days overdue",
        "逾期超过 90 天，额度关闭",
    ),
    "reason.NOT_ELIGIBLE.title": ("Score below the minimum", "信用分未达准入"),
    "reason.NO_INCOME.title": ("No declared income", "未申报收入"),
    "advice.NO_INCOME": (
        "Declare a monthly income ({income}, for example): limitlab profile set --income ….",
        "申报月收入（例如 {income}）：limitlab profile set --income …。",
    ),
    "ev.no_income": (
        "Declared monthly income {income}: the income and regulatory caps are both zero (the shares compare with {declared} declared)",
        "申报月收入 {income}：收入倍数上限和监管上限均为零（份额按申报 {declared} 比较）",
    ),
    "check.NO_INCOME": ("No limit without a declared income.", "未申报收入，暂无额度。"),
    "ok.no_income": (
        "Account opened on {today}: score {score}, but with no declared income there is no limit yet.",
        "账户已于 {today} 开立：信用分 {score}，但未申报收入，暂无额度。",
    ),
    "reason.REVIEW_PENDING.title": ("A raise is waiting for a review", "提额需等待评估"),
    "category.system": ("system", "系统评估"),
    "category.user": ("you", "个人行为"),
    "category.platform": ("platform", "平台政策"),
    # --- reasons: advice ---
    "advice.USED_BY_LOANS": ("Repay principal: limitlab repay ….", "偿还本金：limitlab repay …。"),
    "advice.while_suspended": (
        "While borrowing is suspended this frees nothing today:",
        "借款暂停期间，这样做当天不会恢复可用额度：",
    ),
    "advice.frees_nothing": ("This frees nothing today:", "这样做当天不会恢复可用额度："),
    "advice.OVERDUE": (
        "Repay {amount} overdue on loan {loans} now: limitlab repay --overdue.",
        "立即归还借款 {loans} 的逾期款 {amount}：limitlab repay --overdue。",
    ),
    "advice.FREQUENT_APPLICATIONS": (
        "Stop applying until {until}; every try counts as an application.",
        "在 {until} 之前不要再申请；每次尝试都计为一次申请。",
    ),
    "advice.MULTI_LENDER": ("Pay off {lenders} ({cash}).", "还清 {lenders}（{cash}）。"),
    "advice.HIGH_DTI": (
        "Bring monthly debt payments under {threshold} of income: repay debt, or update income if it rose.",
        "将月还款额降到收入的 {threshold} 以下：偿还债务，或在收入增加时更新资料。",
    ),
    "advice.INCOME_DROP": (
        "When your income is back to {income}, declare it: limitlab profile set --income ….",
        "收入恢复到 {income} 时请申报：limitlab profile set --income …。",
    ),
    "advice.APPLICATIONS": (
        "Apply less often: the recent applications count in the score until {date}.",
        "减少申请：近期的申请在 {date} 前计入信用分。",
    ),
    "advice.LATE_PAYMENT": (
        "Nothing speeds this up: keep paying on time; the late days stop counting on {date}.",
        "无法加速：按时还款；这些逾期天数于 {date} 后不再计入信用分。",
    ),
    "advice.CREDIT_RECORD": (
        "Nothing speeds this up: keep paying on time; the record stops counting on {date}.",
        "无法加速：按时还款；该记录于 {date} 后不再计入评估。",
    ),
    "advice.SCORE_DROP": (
        "Raise the score (see the key factors below and limitlab score).",
        "提高信用分（见下方主要因素及 limitlab score）。",
    ),
    "advice.PLATFORM_POLICY": (
        "Nothing you can do: the measure ends on {date}.",
        "您无需操作：该措施于 {date} 结束。",
    ),
    "advice.MAINTENANCE": ("Try again on {until}.", "请于 {until} 再试。"),
    "advice.ACCOUNT_CLOSED": (
        "Repay what you owe ({owed}): limitlab repay --all. The line does not reopen.",
        "归还全部欠款（{owed}）：limitlab repay --all。额度不会重新开放。",
    ),
    "advice.NOT_ELIGIBLE": (
        "Raise the score to {min_score} ({gap} points more); see limitlab score.",
        "将信用分提高到 {min_score}（还差 {gap} 分）；见 limitlab score。",
    ),
    "advice.REVIEW_PENDING": (
        "Wait: limits rise only at scheduled reviews; the next chance is {date}.",
        "请等待：额度只在定期评估时提升；下次机会在 {date}。",
    ),
    # --- reasons: recovery ---
    "recovers.USED_BY_LOANS": ("as you repay; fully by {date}", "随还款恢复；最迟 {date} 全部恢复"),
    "recovers.OVERDUE": ("as soon as everything overdue is repaid", "还清全部逾期款后立即恢复"),
    "recovers.on_date": ("on {date}", "{date}"),
    "recovers.after_action": ("once done: {outcome}", "完成后：{outcome}"),
    "recovers.when_done": ("once done", "完成后"),
    "recovers.review_on": ("from the scheduled review of {date}", "{date} 定期评估起"),
    "recovers.earliest_review": (
        "from the scheduled review of {date} at the earliest",
        "最早 {date} 定期评估起",
    ),
    "recovers.no_gain": (
        "nothing more is available by {date}",
        "到 {date} 可用额度不会增加",
    ),
    "recovers.while_suspended": (
        "not while borrowing is suspended",
        "借款暂停期间不会恢复",
    ),
    "recovers.after_wait": ("{outcome}", "{outcome}"),
    "recovers.never": ("never: the line stays closed", "不会恢复：额度保持关闭"),
    # --- reasons: evidence ---
    "ev.loan": (
        "Loan #{loan_id}: {principal} over {term} months, {owed} principal still owed",
        "借款 #{loan_id}：{principal}，{term} 个月，尚欠本金 {owed}",
    ),
    "ev.over_limit": (
        "You owe {owed}, more than the {limit} limit",
        "欠款 {owed} 已超过额度 {limit}",
    ),
    "ev.overdue_installment": (
        "Loan #{loan_id} installment {seq} due {due_date}: {owed} unpaid, {days_past_due} days late",
        "借款 #{loan_id} 第 {seq} 期（{due_date} 到期）：未还 {owed}，逾期 {days_past_due} 天",
    ),
    "ev.overdue_cut": (
        "{days_past_due} days past due: the limit was cut to the principal owed",
        "逾期 {days_past_due} 天：额度降至未还本金",
    ),
    "ev.application_granted": ("Application for {amount}: granted", "申请 {amount}：已批准"),
    "ev.application_refused": ("Application for {amount}: refused", "申请 {amount}：被拒绝"),
    "ev.cooloff": (
        "{count} applications within {days} days: cool-off until {until}",
        "{days} 天内申请 {count} 次：冷静期至 {until}",
    ),
    "ev.maintenance": (
        "Maintenance #{measure_id} until {until}",
        "系统维护 #{measure_id}，至 {until}",
    ),
    "ev.closed": ("Closed after {days_past_due} days past due", "逾期 {days_past_due} 天后关闭"),
    "ev.not_eligible": (
        "Score {score} at the last review; the minimum is {min_score}",
        "上次评估信用分 {score}；准入最低 {min_score}",
    ),
    "ev.lender": ("{lender}: {balance} owed", "{lender}：欠款 {balance}"),
    "ev.income_drop": (
        "Income fell from {old} to {new} (−{drop})",
        "收入由 {old} 降至 {new}（−{drop}）",
    ),
    "ev.bureau": (
        "Reported: loan #{loan_id} installment {seq}, {days_past_due} days late; scored until {until}",
        "已上报征信：借款 #{loan_id} 第 {seq} 期，逾期 {days_past_due} 天；计入评估至 {until}",
    ),
    "ev.late": (
        "Late, not reported: loan #{loan_id} installment {seq}, {days_past_due} days; scored until {until}",
        "逾期未上报：借款 #{loan_id} 第 {seq} 期，{days_past_due} 天；计入评估至 {until}",
    ),
    "ev.moved": (
        "{attribute} {value} (without it: {without}): {points} points",
        "{attribute} {value}（若无此项：{without}）：{points} 分",
    ),
    "ev.score": ("Score {score} (without it: {without})", "信用分 {score}（若无此项：{without}）"),
    "ev.base": (
        "A review today: base limit {base} ({binding}; without it: {without})",
        "若今天评估：基础额度 {base}（{binding}；若无此项：{without}）",
    ),
    "ev.cut.MULTI_LENDER": ("Other-lenders cut: limit × {factor}", "多头借贷调减：额度 × {factor}"),
    "ev.cut.CREDIT_RECORD": (
        "Credit-record cut: limit × {factor}",
        "征信逾期记录调减：额度 × {factor}",
    ),
    "ev.cut.PLATFORM_POLICY": (
        "Platform tightening: limit × {factor}",
        "平台风控收紧：额度 × {factor}",
    ),
    "ev.cut.HIGH_DTI": (
        "Debt-to-income {dti} (without it: {without}): limit × {factor}",
        "负债收入比 {dti}（若无此项：{without}）：额度 × {factor}",
    ),
    "ev.platform": (
        "Measure #{measure_id}: limits × {factor} for cohort {cohort} until {until}",
        "措施 #{measure_id}：人群 {cohort} 额度 × {factor}，至 {until}",
    ),
    "ev.pending.not_scheduled": (
        "The assessment allows {new}, but raises wait for a scheduled review; the limit stays at {old}",
        "评估结果为 {new}，但提额需等到定期评估；额度维持 {old}",
    ),
    "ev.pending.recent_overdue": (
        "The assessment allows {new}, but raises need {months} months without overdue; the limit stays at {old}",
        "评估结果为 {new}，但提额需连续 {months} 个月无逾期；额度维持 {old}",
    ),
    "ev.pending.since_review": (
        "The last review gave {old}; a review today would give {new}",
        "上次评估额度为 {old}；若今天评估可得 {new}",
    ),
    "ev.pending.max_raise": (
        "The assessment allows {new}; one review raises a limit by at most {max_raise} (from {old})",
        "评估结果为 {new}；每次评估最多提额 {max_raise}（原 {old}）",
    ),
    # --- score factors ---
    "factor.worst_dpd_24m": (
        "Avoid any late payment: late days stay in the score for 24 months.",
        "避免任何逾期：逾期会在 24 个月内影响信用分。",
    ),
    "factor.on_time_installments": (
        "Pay installments on time: each one builds history.",
        "按时还款：每一期都在积累信用历史。",
    ),
    "factor.account_age_months": (
        "Time helps: an older account scores higher.",
        "时间会帮助您：账户越久得分越高。",
    ),
    "factor.utilisation_pct": (
        "Use less of the limit: below 10 % scores best.",
        "少用额度：使用率低于 10% 得分最高。",
    ),
    "factor.applications_30d": (
        "Apply less often: at most one application a month.",
        "减少申请：每月不超过一次。",
    ),
    "factor.other_lenders": ("Borrow from fewer other lenders.", "减少在其他机构的借款。"),
    "factor.monthly_income_yuan": (
        "A higher declared income raises capacity.",
        "申报更高的收入可提高履约能力分。",
    ),
    "factor.dti_pct": (
        "Lower monthly debt payments relative to income.",
        "降低月还款额占收入的比例。",
    ),
    "factor.verified": ("Complete real-name verification.", "完成实名认证。"),
    "factor.employment_months": (
        "A longer time in the job scores higher.",
        "在职时间越长得分越高。",
    ),
    "factor.social_insurance": (
        "Declare social insurance / housing fund (社保/公积金).",
        "申报社保/公积金。",
    ),
    "factor.trust": ("Social trust counts a little (5 %).", "人脉关系占比较小（5%）。"),
    # --- amount checks (why --amount) ---
    "check.NOT_ELIGIBLE": (
        "No limit: the score must reach {min_score}.",
        "暂无额度：信用分需达到 {min_score}。",
    ),
    "check.OVERDUE": (
        "Suspended while anything is overdue: repay it first.",
        "存在逾期，借款暂停：请先还清。",
    ),
    "check.MAINTENANCE": ("Paused for maintenance until {until}.", "系统维护暂停至 {until}。"),
    "check.FREQUENT_APPLICATIONS": (
        "Cool-off after frequent applications until {until}.",
        "频繁申请冷静期至 {until}。",
    ),
    "check.ACCOUNT_CLOSED": ("The line is closed.", "额度已关闭。"),
    "check.BELOW_MINIMUM": ("Below the smallest drawdown of {min}.", "低于最低支用金额 {min}。"),
    "check.LIMIT_EXCEEDED": (
        "Only {room} of room under the limit: repay {missing} of principal first.",
        "额度仅剩 {room}：需先偿还 {missing} 本金。",
    ),
    "check.HIGH_DTI": (
        "The new installment would take debt-to-income to {dti}, over {max}.",
        "新增月供将使负债收入比达到 {dti}，超过 {max}。",
    ),
    "why.amount_granted": ("{amount} would be granted now.", "现在可以借 {amount}。"),
    "why.amount_refused": ("{amount} would be refused now:", "现在借 {amount} 会被拒绝："),
    # --- the explanation screens ---
    "why.headline_used_up": (
        "Limit used up: {available} of {limit} available",
        "额度已用完：可用 {available} / 总额度 {limit}",
    ),
    "why.headline_available": (
        "{available} of {limit} available",
        "可用 {available} / 总额度 {limit}",
    ),
    "why.suffix_suspended": (" — borrowing suspended", " — 借款已暂停"),
    "why.suffix_closed": (" — the line is closed", " — 额度已关闭"),
    "why.title_waterfall": ("From base limit to available", "从基础额度到可用额度"),
    "why.title_reasons": (
        "Why — each cause's share of what is missing",
        "原因（按各项应占的缺口份额排序）",
    ),
    "why.title_factors": ("Why the score is not higher", "信用分为何不更高"),
    "why.col_line": ("Line", "项目"),
    "why.col_rank": ("#", "序"),
    "why.col_category": ("Source", "来源"),
    "why.col_cause": ("Cause", "原因"),
    "why.col_evidence": ("Evidence", "依据"),
    "why.col_amount": ("Share", "份额"),
    "why.alone": ("fixing it alone: {alone}", "仅消除此项：{alone}"),
    "why.equal_share": ("equal share", "份额相同"),
    "why.cannot_borrow": (
        "You cannot borrow today because {causes}.",
        "今天无法借款，因为{causes}。",
    ),
    "because.OVERDUE": ("loan {loans} is overdue", "借款 {loans} 已逾期"),
    "because.ACCOUNT_CLOSED": ("the line is closed", "额度已关闭"),
    "because.MAINTENANCE": (
        "the platform is under maintenance until {until}",
        "平台系统维护至 {until}",
    ),
    "because.FREQUENT_APPLICATIONS": (
        "a cool-off after frequent applications lasts until {until}",
        "频繁申请冷静期至 {until}",
    ),
    "because.join": (" and ", "，并且"),
    # --- a simulated path in words (what to do, then what it leads to) ---
    "step.repay_overdue_loan": (
        "repay {amount} overdue on loan #{loan_id} (limitlab repay --overdue --loan {loan_id})",
        "归还借款 #{loan_id} 的逾期款 {amount}（limitlab repay --overdue --loan {loan_id}）",
    ),
    "step.repay_overdue": (
        "repay {amount} overdue (limitlab repay --overdue)",
        "归还逾期款 {amount}（limitlab repay --overdue）",
    ),
    "step.repay": (
        "repay {amount} (limitlab repay {plain})",
        "还款 {amount}（limitlab repay {plain}）",
    ),
    "step.repay_all": (
        "repay everything, {amount} (limitlab repay --all)",
        "还清全部欠款 {amount}（limitlab repay --all）",
    ),
    "step.external_repay": (
        "pay off {lender}, {amount} (limitlab external repay {lender})",
        "还清 {lender} 的欠款 {amount}（limitlab external repay {lender}）",
    ),
    "step.declare_income": (
        "declare a monthly income of {amount} (limitlab profile set --income {plain})",
        "申报月收入 {amount}（limitlab profile set --income {plain}）",
    ),
    "step.deposit": ("put {amount} in the wallet", "向钱包存入 {amount}"),
    "step.wait": ("wait until {date}", "等到 {date}"),
    "step.then": (", then ", "，然后"),
    "path.leads_to": ("{steps} → {outcome}", "{steps} → {outcome}"),
    "path.or": ("; or ", "；或者"),
    "path.funded": (
        " (with {cash} put in the wallet for the installments due on the way)",
        "（期间到期的分期需向钱包存入 {cash}）",
    ),
    "outcome.today": ("{available} available today", "今天可用 {available}"),
    "outcome.on": ("{available} on {date}", "{date} 可用 {available}"),
    "outcome.join": (", ", "，"),
    "why.col_advice": ("What to do", "怎么办"),
    "why.col_recovers": ("Recovers", "恢复"),
    "why.evidence_more": (
        "…and {n} earlier (--json lists them all)",
        "……另有 {n} 条更早的记录（--json 列出全部）",
    ),
    "why.no_reasons": ("Nothing is holding the limit back.", "没有任何因素占用额度。"),
    "why.cause_line": ("Cause: {title} — {advice}", "原因：{title} — {advice}"),
    # --- a review's own change (limits) ---
    "limits.opening": ("the opening grant", "开户授信"),
    "reason.OTHER.title": (
        "Other changes in your credit assessment",
        "信用评估的其他变化",
    ),
    "advice.OTHER": (
        "See what moved the score: limitlab score.",
        "查看信用分的变化：limitlab score。",
    ),
    "change.up.MULTI_LENDER": ("Fewer loans at other lenders", "其他机构借款减少"),
    "change.up.INCOME_DROP": ("Income rose", "收入上升"),
    "change.up.PLATFORM_POLICY": ("A platform measure ended", "平台措施结束"),
    "change.up.CREDIT_RECORD": ("The credit record counts less", "征信记录影响减小"),
    "change.up.OVERDUE": ("The overdue counts less", "逾期影响减小"),
    "change.up.FREQUENT_APPLICATIONS": ("Fewer recent applications", "近期申请减少"),
    "change.up.REVIEW_PENDING": (
        "The scheduled review gave a raise held back before",
        "定期评估给予了此前暂缓的提额",
    ),
    "change.up.OTHER": ("Other changes in your credit assessment", "信用评估的其他变化"),
    "change.lenders": (
        "Other lenders {before} → {after} (new: {added}; paid off: {removed})",
        "其他机构 {before} → {after} 家（新增：{added}；已还清：{removed}）",
    ),
    "change.income": ("Monthly income {old} → {new}", "月收入 {old} → {new}"),
    "change.applications": (
        "{count} applications within the score's window; cool-off until {until}",
        "评分窗口内申请 {count} 次；冷静期至 {until}",
    ),
    "change.record": (
        "{reported} new bureau report(s); {days_past_due} days past due",
        "新增征信上报 {reported} 条；逾期 {days_past_due} 天",
    ),
    "change.closed": ("Closed on {closed_on}", "{closed_on} 关闭"),
    "change.raise": (
        "The assessment allows {new}; the limit before was {old}",
        "评估结果为 {new}；此前额度为 {old}",
    ),
    "change.measure_started": (
        "Measure #{id}: limits × {factor} for cohort {cohort} until {ends_on}",
        "措施 #{id}：人群 {cohort} 额度 × {factor}，至 {ends_on}",
    ),
    "change.measure_ended": (
        "Measure #{id} (limits × {factor} for cohort {cohort}) ended",
        "措施 #{id}（人群 {cohort} 额度 × {factor}）已结束",
    ),
    "change.score": ("Score {old} → {new}", "信用分 {old} → {new}"),
    "change.moved": (
        "{attribute} {old} → {new}: {points} points",
        "{attribute} {old} → {new}：{points} 分",
    ),
    # --- the notice ---
    "notice.title": ("Notice of a credit-limit decision", "额度调整通知"),
    "notice.cut": (
        "On {date} your credit limit was reduced from {old} to {new}.",
        "{date}，您的额度由 {old} 调整为 {new}。",
    ),
    "notice.closed": (
        "On {date} your credit line was closed (limit {old} → {new}).",
        "{date}，您的额度已关闭（{old} → {new}）。",
    ),
    "notice.principal_reasons": (
        "Principal reasons, most important first:",
        "主要原因（按重要性排序）：",
    ),
    "notice.cohort": (
        "This change applied to every account in the cohort {cohort}, not only to you.",
        "此次调整适用于人群 {cohort} 中的所有账户，并非仅针对您。",
    ),
    "notice.everyone": (
        "This change applied to every account on the platform, not only to you.",
        "此次调整适用于平台所有账户，并非仅针对您。",
    ),
    "notice.rights": (
        "You may ask for the information behind this decision and have errors in your credit record corrected.",
        "您有权查询作出本决定所依据的信息，并要求更正征信记录中的错误。",
    ),
    "notice.none": (
        "No limit cut or closure so far: there is nothing to notify.",
        "目前没有额度下调或关闭，无需通知。",
    ),
    # --- the glossary (issue 5 §4): name (en = English, zh = 中文), definition, examples ---
    "glossary.title": ("Glossary", "术语表"),
    "glossary.from_account": ("Your account:", "您的账户："),
    "glossary.for_example": ("For example:", "例如："),
    "glossary.no_account": (
        "No account at {path} yet, so the examples are generic; run limitlab init to see your own numbers.",
        "{path} 还没有账户，以下是通用示例；运行 limitlab init 后可看到您自己的数字。",
    ),
    "glossary.unknown": (
        "Unknown term '{text}'. The terms are: {terms}.",
        "未知术语 '{text}'。可查的术语：{terms}。",
    ),
    "glossary.days.one": ("1 day", "1 天"),
    "glossary.days.many": ("{days} days", "{days} 天"),
    "glossary.credit_grant.name": ("credit grant", "授信"),
    "glossary.credit_grant.definition": (
        "The lender's decision to open a credit line and set its limit, after checking score, income and record.",
        "贷款机构查看信用分、收入和信用记录后，决定为您开通额度并核定金额。",
    ),
    "glossary.credit_grant.yours": (
        "Granted on {opened}; the latest review, on {reviewed}, set the limit to {limit} at score {score}.",
        "{opened} 获得授信；最近一次评估（{reviewed}）按信用分 {score} 核定额度 {limit}。",
    ),
    "glossary.credit_grant.refused": (
        "Applied on {opened}: score {score} is below the {min_score} needed, so no line was granted.",
        "{opened} 申请：信用分 {score} 低于所需的 {min_score}，未获授信。",
    ),
    "glossary.credit_grant.generic": (
        "A score of 750 and ¥8,000.00 of monthly income get a ¥32,000.00 line at opening.",
        "信用分 750、月收入 ¥8,000.00，开户时可获 ¥32,000.00 额度。",
    ),
    "glossary.drawdown.name": ("drawdown", "支用"),
    "glossary.drawdown.definition": (
        "Borrowing part of the limit as a loan with its own schedule; its principal occupies the limit until repaid.",
        "从额度中借出一笔钱，形成一笔有还款计划的借款；未还本金会一直占用额度。",
    ),
    "glossary.drawdown.yours": (
        "Loan #{loan_id}: {principal} drawn on {drawn_on} over {term} months, {outstanding} of principal still owed.",
        "借款 #{loan_id}：{drawn_on} 支用 {principal}，分 {term} 期，尚欠本金 {outstanding}。",
    ),
    "glossary.drawdown.repaid": (
        "You have drawn {borrowed} in all and repaid all of its principal.",
        "您累计支用 {borrowed}，本金已全部还清。",
    ),
    "glossary.drawdown.none": (
        "Nothing drawn yet; {available} is available to draw.",
        "尚未支用；可支用 {available}。",
    ),
    "glossary.drawdown.generic": (
        "Drawing ¥5,000.00 from a ¥32,000.00 limit leaves ¥27,000.00 available until it is repaid.",
        "从 ¥32,000.00 额度中支用 ¥5,000.00，还清前可用额度剩 ¥27,000.00。",
    ),
    "glossary.credit_limit.name": ("credit limit", "额度"),
    "glossary.credit_limit.definition": (
        "The most you may owe at once: available is the limit less the principal owed, and nothing while borrowing is suspended.",
        "最多可同时欠款的金额：可用额度 = 额度 − 未还本金，暂停借款期间可用额度为零。",
    ),
    "glossary.credit_limit.yours": (
        "Your limit is {limit}, {available} available.",
        "您的额度为 {limit}，可用 {available}。",
    ),
    "glossary.credit_limit.generic": (
        "A ¥32,000.00 limit with ¥5,000.00 owed leaves ¥27,000.00 available.",
        "额度 ¥32,000.00、欠本金 ¥5,000.00 时，可用 ¥27,000.00。",
    ),
    "glossary.multi_lender.name": ("multi-lender borrowing", "多头借贷"),
    "glossary.multi_lender.definition": (
        "Owing several lenders at once; lenders read it as stretched finances and cut limits.",
        "同时在多家机构借款；贷款机构视之为资金紧张的信号，会下调额度。",
    ),
    "glossary.multi_lender.yours": (
        "You owe {balance} at other lenders: {lenders}.",
        "您在其他机构共欠 {balance}：{lenders}。",
    ),
    "glossary.multi_lender.none": (
        "No loans at other lenders are recorded.",
        "没有在其他机构借款的记录。",
    ),
    "glossary.multi_lender.generic": (
        "Owing Huabei, a credit card and a consumer-finance app counts as 3 other lenders.",
        "同时欠花呗、一张信用卡和一个消费金融 App，算 3 家其他机构。",
    ),
    "glossary.overdue.name": ("overdue", "逾期"),
    "glossary.overdue.definition": (
        "An installment not paid by its due date: borrowing stops until it is repaid, and penalty interest runs every day.",
        "到期未还的分期：还清前暂停借款，且每天计收罚息。",
    ),
    "glossary.overdue.yours": (
        "Loan #{loan_id} installment {seq} is {days} late ({owed} unpaid).",
        "借款 #{loan_id} 第 {seq} 期已逾期 {days}（未还 {owed}）。",
    ),
    "glossary.overdue.none": ("Nothing is overdue.", "没有逾期。"),
    "glossary.overdue.generic": (
        "An installment due on 2026-02-05 and still unpaid on 2026-02-08 is 3 days overdue.",
        "2026-02-05 到期、2026-02-08 仍未还的分期，已逾期 3 天。",
    ),
    "glossary.penalty_interest.name": ("penalty interest", "罚息"),
    "glossary.penalty_interest.definition": (
        "Extra daily interest on overdue principal, a multiple of the normal rate, charged until the overdue amount is repaid.",
        "对逾期本金按正常日利率的倍数每天加收的利息，直到逾期款还清。",
    ),
    "glossary.penalty_interest.yours": (
        "{penalty} of penalty interest so far, at {rate} a day ({multiplier} × your daily rate).",
        "目前已产生罚息 {penalty}，按每天 {rate} 计（您日利率的 {multiplier} 倍）。",
    ),
    "glossary.penalty_interest.none": (
        "None charged; a late installment would cost {rate} a day on its principal ({multiplier} × your daily rate).",
        "目前没有罚息；若逾期，将按本金每天 {rate} 计收（您日利率的 {multiplier} 倍）。",
    ),
    "glossary.penalty_interest.generic": (
        "At 0.050% a day × 1.5, ¥1,000.00 overdue for 10 days costs ¥7.50.",
        "按日利率 0.050% × 1.5 计，¥1,000.00 逾期 10 天罚息 ¥7.50。",
    ),
    "glossary.credit_bureau.name": ("credit reporting", "征信"),
    "glossary.credit_bureau.definition": (
        "The central record of your borrowing that every lender reads; an overdue past the grace days is reported and kept for years.",
        "记录个人借贷情况、各贷款机构都会查阅的中心记录；超过宽限期的逾期会被上报并保留多年。",
    ),
    "glossary.credit_bureau.yours": (
        "Reported on {reported_on}: loan #{loan_id} installment {seq}, {days} late.",
        "{reported_on} 已上报征信：借款 #{loan_id} 第 {seq} 期，逾期 {days}。",
    ),
    "glossary.credit_bureau.none": (
        "Nothing reported; an installment more than {grace} late would be.",
        "没有上报记录；分期逾期超过 {grace} 就会被上报。",
    ),
    "glossary.credit_bureau.generic": (
        "An installment 4 days late is reported (after 3 days of grace) and kept for 5 years.",
        "逾期 4 天的分期会被上报（宽限期 3 天），记录保留 5 年。",
    ),
    "glossary.apr.name": ("annualised rate (APR)", "年化利率"),
    "glossary.apr.definition": (
        "The yearly cost of borrowing: simple is the daily rate × 360; effective also counts that principal is repaid along the way.",
        "借款一年的成本：单利年化 = 日利率 × 360；实际年化还考虑了本金是逐月归还的。",
    ),
    "glossary.apr.yours": (
        "Your daily rate {daily} is {simple} a year simple, {effective} effective on a 12-month equal-installment loan.",
        "您的日利率 {daily}，单利年化 {simple}；12 期等额本息的实际年化为 {effective}。",
    ),
    "glossary.apr.generic": (
        "A daily rate of {daily} is {simple} a year simple, {effective} effective on a 12-month equal-installment loan.",
        "日利率 {daily}，单利年化 {simple}；12 期等额本息的实际年化为 {effective}。",
    ),
    "glossary.equal_installment.name": ("equal installments", "等额本息（按月等额）"),
    "glossary.equal_installment.definition": (
        "The same payment every month, part interest and part principal, so the limit comes back a little each month.",
        "每月还款额相同，一部分是利息、一部分是本金，额度每月逐步恢复。",
    ),
    "glossary.equal_installment.yours": (
        "Loan #{loan_id} pays {payment} a month for {term} months.",
        "借款 #{loan_id} 每月还 {payment}，共 {term} 期。",
    ),
    "glossary.equal_installment.quote": (
        "At {daily} a day, {principal} over 12 months is {payment} a month.",
        "按日利率 {daily}，{principal} 分 12 期，每月还 {payment}。",
    ),
    "glossary.interest_first.name": ("interest first, principal last", "先息后本"),
    "glossary.interest_first.definition": (
        "Only interest each month and all the principal with the last payment: small payments, but the limit stays used until the end.",
        "每月只还利息，最后一期连本带息一次还清：月供小，但额度一直被占用到最后。",
    ),
    "glossary.interest_first.yours": (
        "Loan #{loan_id} pays {interest} a month, then {last} with the principal in month {term}.",
        "借款 #{loan_id} 每月付息 {interest}，第 {term} 期连本带息还 {last}。",
    ),
    "glossary.interest_first.quote": (
        "At {daily} a day, {principal} over 12 months costs {interest} a month, then {last} in the last month.",
        "按日利率 {daily}，{principal} 分 12 期：每月付息 {interest}，最后一期还 {last}。",
    ),
    "glossary.score.name": ("Zhima-style credit score", "芝麻分式信用分"),
    "glossary.score.definition": (
        "A number from 350 to 950 built from history, behaviour, capacity, identity and social trust; it sets the limit tier and the rate.",
        "由信用历史、行为偏好、履约能力、身份特质和人脉关系算出的 350–950 分，决定额度档位和利率。",
    ),
    "glossary.score.yours": (
        "Your score is {score} ({band}); the biggest gap is {attribute}, {gap} points below its best.",
        "您的信用分为 {score}（{band}）；差距最大的是 {attribute}，比满分低 {gap} 分。",
    ),
    "glossary.score.yours_full": (
        "Your score is {score} ({band}), with every attribute at its best.",
        "您的信用分为 {score}（{band}），各项均已满分。",
    ),
    "glossary.score.generic": (
        "Scores run from 350 to 950; 700 and up is excellent, and below 550 no line is granted.",
        "信用分范围为 350–950；700 分以上为极好，低于 550 分不予授信。",
    ),
    "glossary.dti.name": ("debt-to-income (DTI)", "负债收入比"),
    "glossary.dti.definition": (
        "Monthly debt payments, here and at other lenders, ÷ monthly income; a high DTI cuts the limit and can block new drawdowns.",
        "每月还款额（本平台及其他机构）÷ 月收入；负债收入比过高会下调额度，甚至不能再支用。",
    ),
    "glossary.dti.yours": (
        "{debt} a month of debt payments on {income} of income: a DTI of {dti}.",
        "每月还款 {debt}，月收入 {income}：负债收入比 {dti}。",
    ),
    "glossary.dti.generic": (
        "¥2,000.00 a month of payments on ¥8,000.00 of income is a DTI of 25%.",
        "每月还款 ¥2,000.00、月收入 ¥8,000.00，负债收入比为 25%。",
    ),
    "glossary.utilisation.name": ("utilisation", "额度使用率"),
    "glossary.utilisation.definition": (
        "The share of the limit in use, principal owed ÷ limit; a line kept near full reads as stretched and costs score points.",
        "已用额度占总额度的比例（未还本金 ÷ 额度）；长期接近用满会被视为资金紧张，并扣减信用分。",
    ),
    "glossary.utilisation.yours": (
        "You owe {used} of your {limit} limit: {pct} utilisation.",
        "额度 {limit} 中已用 {used}：使用率 {pct}。",
    ),
    "glossary.utilisation.generic": (
        "¥8,000.00 owed on a ¥32,000.00 limit is 25% utilisation.",
        "额度 ¥32,000.00、已用 ¥8,000.00，使用率为 25%。",
    ),
    "glossary.cohort.name": ("cohort", "客群"),
    "glossary.cohort.definition": (
        "A group of accounts the platform treats alike, such as score<650; a measure for a cohort hits everyone in it, not only you.",
        "平台按同一规则对待的一类账户，例如 score<650；针对客群的措施会影响其中所有人，并非只针对您。",
    ),
    "glossary.cohort.yours": (
        "You are in the cohort {cohort} of measure #{id}: limits × {factor} until {ends_on}.",
        "您属于措施 #{id} 的客群 {cohort}：{ends_on} 前额度 × {factor}。",
    ),
    "glossary.cohort.none": (
        "No platform measure targets you now; in cohort terms you are score={score}, dti={dti}, lenders={lenders}, income={income}.",
        "目前没有针对您的平台措施；按客群条件，您是 score={score}、dti={dti}、lenders={lenders}、income={income}。",
    ),
    "glossary.cohort.generic": (
        "A measure of limits × 0.5 for score<650 halves the limit of every account scoring under 650.",
        "针对 score<650 的“额度 × 0.5”措施，会让所有 650 分以下账户的额度减半。",
    ),
    # --- the chart (issue 5 §3) ---
    "chart.title_limit": ("Limit, used and available · {step}", "额度、已用与可用 · {step}"),
    "chart.title_score": ("Score {low}–{high} · {step}", "信用分 {low}–{high} · {step}"),
    "chart.step.day": ("daily", "按日"),
    "chart.step.week": ("weekly", "按周"),
    "chart.step.month": ("monthly", "按月"),
    "chart.col_limit": ("Limit", "额度"),
    "chart.col_used": ("Used", "已用"),
    "chart.col_available": ("Avail.", "可用"),
    "chart.legend": (
        "█ used  ▒ available  ░ held back (suspended)  ▲▼◆ limit changed  ! overdue",
        "█ 已用  ▒ 可用  ░ 暂停冻结  ▲▼◆ 额度变化  ! 逾期",
    ),
}


def text(key: str, lang: str = "en", **params: Any) -> str:
    """The catalogue's text for `key` in `lang`, formatted with `params`."""
    en, zh = CATALOGUE[key]
    if lang != "zh":
        return en.format(**params) if params else en
    return _spaced(zh.format(**params) if params else zh)


_CJK = "\u4e00-\u9fff"
_BEFORE_LATIN = re.compile(f"(?<=[{_CJK}])(?=[¥#A-Za-z0-9])|(?<=[，；：])(?=[¥0-9])")
_AFTER_LATIN = re.compile(f"(?<=[A-Za-z0-9%)])(?=[{_CJK}])")


def _spaced(zh: str) -> str:
    """A space between Chinese and figures or Latin words (the usual typesetting), so a
    terminal wraps between them and never inside a figure such as ¥3,000.00."""
    return _AFTER_LATIN.sub(" ", _BEFORE_LATIN.sub(" ", zh))


def has(key: str) -> bool:
    return key in CATALOGUE
