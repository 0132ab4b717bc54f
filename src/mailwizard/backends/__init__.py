"""The directory on SQL engines: the schema, its migrations and an adapter per port."""
