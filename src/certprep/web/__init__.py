"""The web front door: FastAPI pages and the /api/v1 JSON API over the services."""
