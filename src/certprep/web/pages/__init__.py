"""The server-rendered pages: one router per part of the application, each a thin layer over a service."""
