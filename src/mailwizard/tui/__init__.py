"""The terminal UI: one Textual screen per step of the flow."""
