"""Resource plugins, one module per service family, found by type name through the registry."""
