"""mailwizard: create and manage a household's secondary mailboxes."""
