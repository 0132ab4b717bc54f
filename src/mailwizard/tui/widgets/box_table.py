"""The household's boxes as a table whose columns fit its width: nobody scrolls sideways
to read a box's address and state."""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import DataTable

from mailwizard.i18n import N_, _

SHORTEST_NAME = 8
"""A name column narrower than this says too little to be worth its room."""
COLUMNS = ("address", "name", "state", "until", "aliases")
HEADINGS = {
    "address": N_("Address"),
    "name": N_("Name"),
    "state": N_("Box"),
    "until": N_("Until"),
    "aliases": N_("Aliases"),
}


class BoxRow(NamedTuple):
    """One box as the table shows it; its address is its key."""

    address: str
    name: str
    state: str
    until: str
    """The end of the state, for the few boxes whose state has one."""
    aliases: str


class BoxTable(DataTable[Text]):
    """The address is always whole. Where the columns do not all fit, the aliases' count
    goes first, then the name (shortened with an ellipsis down to a few letters before it
    goes), then the state's end, and the state is shortened last; again whenever the
    table's width changes. The state's end has a column only when a box has one.
    Refilled, it keeps the selected box and where it was scrolled to."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._rows: list[BoxRow] = []

    def show(self, rows: list[BoxRow]) -> None:
        self._rows = rows
        self._refill()

    def on_resize(self, _event: events.Resize) -> None:
        self._refill()

    def _selected_address(self) -> str | None:
        if self.row_count == 0:
            return None
        return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)

    def _refill(self) -> None:
        cursor, selected, scrolled = self.cursor_row, self._selected_address(), self.scroll_offset
        widths = self._fitted_widths()
        self.clear(columns=True)
        for column, width in widths.items():
            self.add_column(_(HEADINGS[column]), width=width, key=column)
        for row in self._rows:
            cells = row._asdict()
            self.add_row(*(shortened(cells[column], widths[column]) for column in widths),
                         key=row.address)  # fmt: skip
        kept = selected if selected is not None and selected in self.rows else None
        row_index = self.get_row_index(kept) if kept is not None else cursor
        self.move_cursor(row=min(row_index, self.row_count - 1), scroll=False)
        # A refill (another terminal changed the directory) does not move what is looked at.
        self.scroll_x, self.scroll_y = scrolled

    def _fitted_widths(self) -> dict[str, int]:
        """The width of each column shown, in the order of ``COLUMNS``."""
        natural = {
            column: max(
                [
                    cell_len(_(HEADINGS[column])),
                    *(cell_len(getattr(row, column)) for row in self._rows),
                ]
            )
            for column in COLUMNS
        }
        # Each column is padded on both sides, and more rows than fit bring a scrollbar.
        padding = 2 * self.cell_padding
        room = self.size.width
        if self.header_height + len(self._rows) > self.size.height:
            room -= self.styles.scrollbar_size_vertical
        widths = {"address": natural["address"], "state": natural["state"]}
        left = room - sum(widths.values()) - 2 * padding
        if left < 0:
            widths["state"] = max(1, widths["state"] + left)
            return widths
        if any(row.until for row in self._rows) and left >= natural["until"] + padding:
            widths["until"] = natural["until"]
            left -= natural["until"] + padding
        if left >= natural["name"] + natural["aliases"] + 2 * padding:
            widths["name"], widths["aliases"] = natural["name"], natural["aliases"]
        elif left >= min(natural["name"], SHORTEST_NAME) + padding:
            widths["name"] = min(natural["name"], left - padding)
        return {column: widths[column] for column in COLUMNS if column in widths}


def shortened(value: str, width: int) -> Text:
    """``value`` whole when it fits, else cut with an ellipsis; never read as markup."""
    text = Text(value, no_wrap=True)
    text.truncate(width, overflow="ellipsis")
    return text
