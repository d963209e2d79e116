"""mobile-agent."""
