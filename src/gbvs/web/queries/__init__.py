"""Query functions shared by a page and its API resource (one function serves both)."""
