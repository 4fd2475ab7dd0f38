"""Screens as files for slides: SVG that a browser draws right in Chinese, PNG drawn cell by
cell with a font that has CJK glyphs, and the 16:9 frame of `--slide`.

Loaded only when a screen is exported (Pillow only for .png), so no command's start-up pays.

* **SVG**: rich's own export, with two fixes. rich writes each run's `textLength` as
  characters × cell width, so a browser squeezes a Chinese run (two cells a character) to
  half its width: here it is the run's cells × cell width. And the font stack names CJK
  monospace fonts after the Latin ones, so 汉字 never fall back to a random font.
* **PNG**: the recorded segments drawn cell by cell with Pillow: DejaVu Sans Mono (shipped
  with matplotlib) for narrow characters, Noto Sans CJK (the `cvttf-notosanscjk-regular`
  package, SIL Open Font License) for wide ones, each centred in its two cells.
* **--slide**: 16:9 (an SVG's view box, a 1920 × 1080 PNG), titled with the command.
"""

from __future__ import annotations

import html
import importlib.util
import os
import re
from typing import Any

#: The monospace fonts of an SVG export: Latin first, then CJK ones a browser may have.
FONT_STACK = (
    '"Fira Code", "DejaVu Sans Mono", Menlo, Consolas, "Noto Sans Mono CJK SC", '
    '"Noto Sans CJK SC", "Source Han Sans SC", "Sarasa Mono SC", "PingFang SC", '
    '"Microsoft YaHei", "WenQuanYi Micro Hei", monospace'
)
#: The PNG's text chunk that marks it as limitlab's export (cli/exports.py).
PNG_MARK = ("Software", "limitlab export")
SLIDE_SIZE = (1920, 1080)

_TEXT_RUN = re.compile(r'textLength="([0-9.]+)"( clip-path="[^"]*")>([^<]*)</text>')


def _svg_format() -> str:
    from rich._export_format import CONSOLE_SVG_FORMAT

    return CONSOLE_SVG_FORMAT.replace(
        "font-family: Fira Code, monospace;", "font-family: {{FONTS}};"
    )


def fix_text_length(svg: str) -> str:
    """Each text run's textLength as its cells (a wide character is two) × the cell width."""
    from rich.cells import cell_len

    def fixed(m: re.Match[str]) -> str:
        shown = html.unescape(m.group(3))
        if not shown:
            return m.group(0)
        cells = cell_len(shown)
        width = float(m.group(1)) / len(shown) * cells
        return f'textLength="{width:g}"{m.group(2)}>{m.group(3)}</text>'

    return _TEXT_RUN.sub(fixed, svg)


def export_svg(recorder: Any, title: str, slide: bool) -> str:
    fmt = _svg_format().replace("{{FONTS}}", FONT_STACK.replace("{", "{{").replace("}", "}}"))
    fmt = fmt.replace("font-family: arial;", f"font-family: Arial, {FONT_STACK};")
    svg = fix_text_length(recorder.export_svg(title=title, clear=False, code_format=fmt))
    return sixteen_nine(svg) if slide else svg


def sixteen_nine(svg: str) -> str:
    """The SVG's view box widened or heightened to 16:9, the screen in its middle."""
    m = re.search(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"', svg)
    if m is None:
        return svg
    w, h = float(m.group(1)), float(m.group(2))
    if w / h > 16 / 9:
        h2 = w * 9 / 16
        box = f'viewBox="0 {-(h2 - h) / 2:g} {w:g} {h2:g}"'
    else:
        w2 = h * 16 / 9
        box = f'viewBox="{-(w2 - w) / 2:g} 0 {w2:g} {h:g}"'
    return svg.replace(m.group(0), box, 1)


def cjk_font_path() -> str:
    """Noto Sans CJK, from its package (found without importing it)."""
    spec = importlib.util.find_spec("cvttf_NotoSansCJK_Regular")
    if spec is None or not spec.submodule_search_locations:
        from .exits import UserError

        raise UserError("export.no_font")
    folder = next(iter(spec.submodule_search_locations))
    for name in sorted(os.listdir(folder)):
        if name.lower().endswith((".otf", ".ttf", ".ttc")):
            return os.path.join(folder, name)
    from .exits import UserError

    raise UserError("export.no_font")


def mono_font_path(bold: bool = False) -> str:
    spec = importlib.util.find_spec("matplotlib")
    assert spec is not None and spec.origin is not None
    name = "DejaVuSansMono-Bold.ttf" if bold else "DejaVuSansMono.ttf"
    return os.path.join(os.path.dirname(spec.origin), "mpl-data", "fonts", "ttf", name)


def export_png(recorder: Any, title: str, slide: bool) -> bytes:
    """The recorded screen drawn cell by cell (see the module's docstring)."""
    import io

    from PIL import Image, ImageDraw, ImageFont, PngImagePlugin
    from rich.cells import cell_len
    from rich.segment import Segment
    from rich.style import Style
    from rich.terminal_theme import SVG_EXPORT_THEME as theme

    with recorder._record_buffer_lock:
        segments = list(recorder._record_buffer)
    lines = list(Segment.split_and_crop_lines(segments, length=recorder.width, pad=False))
    while lines and not "".join(s.text for s in lines[-1]).strip():
        lines.pop()
    cols = max([sum(cell_len(s.text) for s in line) for line in lines] + [20])
    rows = max(len(lines), 1)
    margin, title_gap = 40, 0
    if slide:
        width, height = SLIDE_SIZE
        title_gap = 130
        size = int(
            min((width - 2 * margin) / (cols * 0.602), (height - title_gap - margin) / (rows * 1.3))
        )
        size = max(8, min(size, 48))
    else:
        size = 22
        title_gap = 50
    cell_w, cell_h = size * 0.602, round(size * 1.3)
    if not slide:
        width = int(cols * cell_w + 2 * margin)
        height = int(rows * cell_h + title_gap + margin)
    bg = theme.background_color.hex
    image = Image.new("RGB", (width, height), bg)
    draw = ImageDraw.Draw(image)
    cjk = cjk_font_path()
    fonts = {
        (False, False): ImageFont.truetype(mono_font_path(), size),
        (False, True): ImageFont.truetype(mono_font_path(bold=True), size),
        # a CJK glyph is one em wide, its two cells 1.2 em: drawn a little larger to fill them
        (True, False): ImageFont.truetype(cjk, round(size * 1.12)),
        (True, True): ImageFont.truetype(cjk, round(size * 1.12)),
    }
    title_font = ImageFont.truetype(cjk, 60 if slide else 24)
    fg = theme.foreground_color.hex
    draw.text((width / 2, title_gap / 2 + 4), title, fill=fg, font=title_font, anchor="mm")
    left = (width - cols * cell_w) / 2 if slide else margin
    top: float = title_gap
    if slide:  # the screen in the middle of what the title leaves
        top += max(0, (height - title_gap - margin - rows * cell_h) / 2)
    for y, line in enumerate(lines):
        x = 0
        for seg in line:
            style = seg.style or Style()
            color = fg if style.color is None else style.color.get_truecolor(theme).hex
            back = None if style.bgcolor is None else style.bgcolor.get_truecolor(theme).hex
            if style.reverse:
                color, back = back or bg, color
            if style.dim:
                color = _blend(color, bg)
            for ch in seg.text:
                cells = cell_len(ch)
                px, py = left + x * cell_w, top + y * cell_h
                if back is not None:
                    draw.rectangle([px, py, px + cells * cell_w, py + cell_h], fill=back)
                if not ch.isspace():
                    font = fonts[(cells == 2 or ord(ch) > 0x2FFF, bool(style.bold))]
                    cx = px + cells * cell_w / 2
                    draw.text((cx, py + cell_h / 2), ch, fill=color, font=font, anchor="mm")
                x += cells
    info = PngImagePlugin.PngInfo()
    info.add_text(*PNG_MARK)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info, optimize=True)
    return out.getvalue()


def _blend(color: str, bg: str) -> str:
    a = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(bg[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{(p + q) // 2:02x}" for p, q in zip(a, b, strict=True))
