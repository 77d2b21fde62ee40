"""Helpers the project's Python packages share."""
