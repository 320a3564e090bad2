"""Settings for the throughput benchmark only: the project's settings with the
anonymous rate limit lifted, so that the benchmark measures serving, not throttling."""
from geoportal.settings import *  # noqa: F401,F403
from geoportal.settings import REST_FRAMEWORK

REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}
