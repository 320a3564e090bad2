"""Every write to the register goes through a service in this package."""
