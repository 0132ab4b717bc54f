"""Confirmation e-mails: composing them from the outbox, and the transports that deliver them."""
