"""Fast runner tests: the runner on an in-memory device, with scripted agents."""
