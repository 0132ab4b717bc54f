"""The directory on SQL engines: the schema, its migrations and the Directory adapter."""
