"""The JSON API under /api/v1: one router per part of the application, each a thin layer over a service."""
