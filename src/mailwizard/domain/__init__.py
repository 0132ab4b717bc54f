"""The wizard's state model and its rules: pure functions, no I/O, no UI."""
