"""Applications of the monorepo: the HTTP API and the auth service."""
