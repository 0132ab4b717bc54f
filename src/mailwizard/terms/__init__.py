"""The terms of use, one Markdown file per language."""
