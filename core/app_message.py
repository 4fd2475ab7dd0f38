"""What a 借呗-style app would say: the one message its borrowing screen shows for the account.

The app names a state, never its cause: "额度已用完" whether one's own loans, a platform cut or
a score drop took the room. Shown beside the real reason, the gap is the lesson. A code and its
figures; the CLI words them (the app's own Chinese, and in the reader's language).
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

from .limits import active_measures, current_dpd
from .model import AccountState
from .policy import Policy
from .records import record
from .standing import available_fen, suspensions

#: Every message, in the order the app checks for them.
APP_MESSAGES = (
    "MAINTENANCE",  # 系统维护中: the whole service is down, whatever the account
    "LIMIT_FROZEN",  # 额度已冻结: closed, or frozen at 30 days past due (只还不借)
    "NO_LIMIT",  # 暂无额度: no line at all
    "BORROWING_PAUSED",  # 借款服务暂停: overdue, a cool-off
    "LIMIT_USED_UP",  # 额度已用完: nothing left to draw
    "AVAILABLE",  # 可借额度 ¥…
)


@record(frozen=True)
class AppMessage:
    code: str
    params: dict[str, Any] = field(default_factory=dict)


def app_message(state: AccountState, policy: Policy) -> AppMessage:
    """The message the app's borrowing screen shows now."""
    if active_measures(state, "maintenance"):
        return AppMessage("MAINTENANCE")
    frozen = state.frozen_on is not None or current_dpd(state) >= policy.cut_to_outstanding_dpd
    if state.closed_on is not None or frozen:
        return AppMessage("LIMIT_FROZEN")
    if state.limit_fen == 0:
        return AppMessage("NO_LIMIT")
    if suspensions(state):
        return AppMessage("BORROWING_PAUSED")
    available = available_fen(state)
    if available == 0:
        return AppMessage("LIMIT_USED_UP")
    return AppMessage("AVAILABLE", {"available_fen": available})
