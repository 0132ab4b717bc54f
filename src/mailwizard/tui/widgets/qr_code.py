"""A QR code drawn with half blocks: two rows of modules per line of text."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

# Light modules are drawn (white), dark ones are the black background, so the code
# reads the same on dark and light terminal themes.
_HALF_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def qr_text(data: str) -> Text:
    import segno

    rows = [[not dark for dark in row] for row in segno.make(data, error="l").matrix_iter(border=1)]
    if len(rows) % 2:
        rows.append([True] * len(rows[0]))
    lines = [
        "".join(_HALF_BLOCKS[top, bottom] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(rows[::2], rows[1::2], strict=True)
    ]
    return Text("\n".join(lines), style="white on black", no_wrap=True)


class QrCode(Static):
    DEFAULT_CSS = """
    QrCode {
        width: auto;
        height: auto;
    }
    """

    def __init__(self, data: str) -> None:
        super().__init__(qr_text(data))
