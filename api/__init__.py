"""The Heat v1 REST API: aiohttp routes over the SQL listings and the Temporal engine."""
