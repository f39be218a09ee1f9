"""The SQL listings the API reads: schema, engine, migrations and the projection writer."""
