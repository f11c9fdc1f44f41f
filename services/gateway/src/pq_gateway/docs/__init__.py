"""API documents generated from code: OpenAPI additions and the AsyncAPI document."""
