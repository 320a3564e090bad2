# Shared fixtures for tests under tests/ and under each app's tests/ package.
pytest_plugins = ["tests.fixtures"]
