"""Code shared by tests and benchmarks; fixtures stay in conftest files and may import it."""
