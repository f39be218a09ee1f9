"""Route handlers of the Heat v1 API, one module per resource family."""
