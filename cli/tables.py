"""Tables that fit the terminal: a figure (a date, an amount, a rate, a count, a command) is
never split or cut, words fold at word boundaries, and a table whose figures alone do not fit
is drawn as stacked rows instead of being cropped at the right edge.

Rich measures a column by its longest word and, when the columns do not fit, shrinks them
evenly, below what a figure needs (`2026-0`, `upcomin`); the whole table is then wider than
the terminal, and the terminal's edge crops it (`Loan` for `Loans`). Here every column gets
a width of its own before rich draws it: figures whole, the words folded where there is room."""

from __future__ import annotations

import re
from typing import Any
from weakref import WeakKeyDictionary

from rich.cells import cell_len
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

#: A token of a figure line: an amount, a date, a rate, a score, or the arrow between two.
FIGURE_TOKEN = re.compile(r"[-+−]?¥?[\d][\d,.:/%-]*|→|×|[-−]|#\d+")
#: A piece a line never breaks in: a narrow run, or one wide character with the closing
#: marks after it (a Chinese line never starts with 。，、：；！？）」』】).
_PIECE = re.compile(r"[^\s\u2e80-\uffef]+|[\u2e80-\uffef][。，、：；！？）」』】%]*")
#: A run of Chinese characters without punctuation, and how wide one may be to stay whole.
_LABEL = re.compile(r"[\u4e00-\u9fff]+")
_SHORT = 12
#: A command as typed, which stays on one line: `limitlab`, its command words, a figure,
#: then its options with their values (`limitlab repay --overdue --loan 1`).
_COMMAND = re.compile(
    r"limitlab(?: [a-z][a-z-]*){0,2}(?: [\d.,]+)?(?: --?[a-z][\w-]*(?: [^\s\-)）][^\s)）]*)?)*"
)


def _plain(cell: Any) -> str | None:
    """A cell's text, or None for a renderable that is not text (left to rich)."""
    if isinstance(cell, Text):
        return cell.plain
    if isinstance(cell, str):  # as the console shows it: control characters written out
        from .safe_text import visible

        return visible(cell, keep="\n")
    return None


def is_figures(line: str) -> bool:
    tokens = line.split()
    return bool(tokens) and all(FIGURE_TOKEN.fullmatch(t) for t in tokens)


def unbreakable(line: str) -> int:
    """The width `line` needs to stay whole where it must: a line of figures (`¥32,000.00 →
    ¥16,800.00`, `2026-03-05`) all of it; a line of words its widest piece (a word, a
    command, an amount; in Chinese one character with the punctuation after it)."""
    if is_figures(line):
        return cell_len(line.strip())
    widths = [cell_len(m.group()) for m in _COMMAND.finditer(line)]
    rest = _COMMAND.sub(" ", line)
    widths += [cell_len(m.group()) for m in _PIECE.finditer(rest)]
    # A short Chinese label (信用分变化) is not split in two either: a column keeps room for it.
    widths += [w for m in _LABEL.finditer(rest) if (w := cell_len(m.group())) <= _SHORT]
    return max(widths, default=0)


def _whole(line: str) -> int:
    """A line of figures all of it, a line of words its longest word."""
    if is_figures(line):
        return cell_len(line.strip())
    return max(map(cell_len, line.split()), default=0)


def _lines(cells: list[str]) -> list[str]:
    return [line for cell in cells for line in cell.splitlines()]


def _column_range(column: Any, header: bool) -> tuple[int, int, bool] | None:
    """(minimum, natural width, holds only figures) of a column's text, or None."""
    cells = [_plain(c) for c in column._cells]
    if any(c is None for c in cells):
        return None
    body = _lines([c for c in cells if c is not None])
    head = _lines([_plain(column.header) or ""]) if header else []
    figures = bool(body) and all(is_figures(line) or not line.strip() for line in body)
    natural = max(map(cell_len, body + head), default=0)
    # A header folds at its spaces only (`Due⏎date`), never inside a word or a Chinese one.
    head_low = [unbreakable(h) if " " in h.strip() else cell_len(h) for h in head]
    if figures:  # whole
        low = max([cell_len(line) for line in body] + head_low)
    else:
        low = max([*map(unbreakable, body), *head_low], default=0)
    low = max(low, column.min_width or 0)
    if column.no_wrap:  # a column that never wraps (a list's markers) keeps its width
        low = natural
    return low, max(natural, low), figures


def fit(table: Table, width: int, console: Console) -> bool:
    """Fit `table` to `width` cells: rich's own layout where it cuts nothing, else each
    column its width, figure columns their widest cell, the others shrunk in proportion to
    what they can spare, never below their widest word. False when even that does not fit
    (the view then stacks it); a table with a cell that is not text is left to rich.
    `console`: one like the screen's, `width` wide, to ask rich for its own layout."""
    columns = table.columns
    if not columns or width < 1:
        return True
    for column in columns:  # figures to the right are as wide as their widest (rich clamps)
        if column.justify == "right":
            cells = [_plain(column.header) or "", *(_plain(c) or "" for c in column._cells)]
            need = [_whole(line) for line in _lines(cells)]
            column.min_width = max([*need, column.min_width or 0])
    ranges = [_column_range(c, table.show_header) for c in columns]
    if any(r is None for r in ranges):
        return True
    known = [r for r in ranges if r is not None]
    extra = table._extra_width + sum(table._get_padding_width(i) for i in range(len(columns)))
    room = width - extra
    if sum(low for low, _, _ in known) > room:
        return False
    if _rich_fits(table, width, console, [low for low, _, _ in known]):
        return True  # rich's own layout cuts nothing: it stays as it was
    widths = [natural for _, natural, _ in known]
    excess = sum(widths) - room
    if excess > 0:  # each column gives in proportion to what it can spare, the rest by one
        slack = [natural - low for low, natural, _ in known]
        total = sum(slack)
        widths = [w - excess * give // total for w, give in zip(widths, slack, strict=True)]
        by_slack = sorted(range(len(widths)), key=lambda i: widths[i] - known[i][0], reverse=True)
        while sum(widths) > room:
            for i in by_slack:
                if widths[i] > known[i][0] and sum(widths) > room:
                    widths[i] -= 1
    for column, w in zip(columns, widths, strict=True):
        column.width = w  # a figure column as wide as its widest figure: it never wraps
    return True


#: The columns a table's stacked rows lead with (indices), as its view chose them.
_LEADS: WeakKeyDictionary[Table, tuple[int, ...]] = WeakKeyDictionary()


def _rich_fits(table: Table, width: int, console: Console, lows: list[int]) -> bool:
    """Would rich draw `table` within `width`, each column at least as wide as it must be?"""
    room = console.options.update_width(width - table._extra_width)  # as rich asks
    widths = table._calculate_column_widths(console, room)
    pads = [table._get_padding_width(i) for i in range(len(widths))]
    if sum(widths) + table._extra_width > width:
        return False
    return all(w - pad >= low for w, pad, low in zip(widths, pads, lows, strict=True))


def stack_lead(table: Table, *columns: int) -> Table:
    """Stacked, `table`'s rows lead with these columns on a line of their own, aligned; the
    others follow under it as `header value` pairs."""
    _LEADS[table] = columns
    return table


def drop_until_fits(table: Table, width: int, console: Console, *groups: tuple[int, ...]) -> Table:
    """Drop `table`'s columns a group at a time (indices into its columns as built), in the
    given order, until it fits `width`; a view's choice of what a narrow screen can spare."""
    original = list(table.columns)
    for group in groups:
        if fit(table, width, console):
            break
        gone = {id(original[i]) for i in group}
        table.columns[:] = [c for c in table.columns if id(c) not in gone]
        for index, column in enumerate(table.columns):  # rich pads a column by its index
            column._index = index
    lead = _LEADS.get(table)
    if lead is not None:
        kept = [id(c) for c in table.columns]
        _LEADS[table] = tuple(kept.index(id(original[i])) for i in lead if id(original[i]) in kept)
    return table


def stacked(table: Table) -> Group:
    """`table` as stacked rows, for a terminal too narrow for its figures: each row a block
    led by its first cell (or the lead columns its view chose, on a line of their own), the
    other cells as `header value` pairs that wrap under it."""
    columns = table.columns
    headers = [(_plain(c.header) or "") if table.show_header else "" for c in columns]
    rows = len(columns[0]._cells) if columns else 0
    lead = _LEADS.get(table)
    parts: list[Any] = []
    if table.title:
        parts.append(table.title if isinstance(table.title, Text) else Text(str(table.title)))
    texts = [[" ".join((_plain(c) or "").split()) for c in column._cells] for column in columns]
    first = lead if lead else (0,)
    shown = [headers[i] for i in first] if lead and any(headers) else []
    widths = {i: max(map(cell_len, [*texts[i], headers[i]]), default=0) for i in first}
    if shown:  # the lead columns' headers, aligned over them
        parts.append(Text(_aligned(columns, first, widths, shown), style="bold"))
    blocks: list[tuple[str, Any]] = []
    for row in range(rows):
        body = Text()
        for i, (header, column) in enumerate(zip(headers, columns, strict=True)):
            value = texts[i][row]
            if i in first or not value:
                continue
            cell = column._cells[row]
            style = cell.style if isinstance(cell, Text) else ""
            if body.plain:
                body.append(" · ")
            if header:
                body.append(f"{header} ", style="dim")
            body.append(value, style=style)
        pad = [texts[i][row] for i in first]
        if lead:  # the lead line, then the rest under it
            parts.append(Text(_aligned(columns, first, widths, pad)))
            if body.plain:
                parts.append(hanging([("    ", body)]))
        else:
            blocks.append((pad[0].rjust(widths[0]) + "  ", body))
    if blocks:
        parts.append(hanging(blocks))
    return Group(*parts)


def _aligned(
    columns: list[Any], which: tuple[int, ...], widths: dict[int, int], cells: list[str]
) -> str:
    """Cells on one line, each as wide as its column, figures to the right."""
    return "  ".join(
        cell.rjust(widths[i] - cell_len(cell) + len(cell))
        if columns[i].justify == "right"
        else cell.ljust(widths[i] - cell_len(cell) + len(cell))
        for i, cell in zip(which, cells, strict=True)
    ).rstrip()


def hanging(rows: list[tuple[str, Any]]) -> Table:
    """Lines led by a marker (`   • `, `1. `): a line that wraps goes on under its text, not
    under the marker (a hanging indent)."""
    grid = Table.grid()
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for marker, body in rows:
        grid.add_row(marker, body)
    return grid
