"""API tokens: per-organization credentials for the JSON API, made and revoked by admins."""
