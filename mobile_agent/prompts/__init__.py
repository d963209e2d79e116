"""Prompt templates of the agents (`<agent>.system.md`, `<agent>.user.md`)."""
