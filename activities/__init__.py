"""All I/O of the engine: resource plugins, the resource-action activities, projection writers."""
