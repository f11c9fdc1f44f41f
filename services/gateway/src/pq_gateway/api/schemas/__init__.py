"""Request and response schemas of the public REST contract (OpenAPI components)."""
