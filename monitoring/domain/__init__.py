"""Pure domain computations of the monitoring network: VN_AQI, limits, units, averaging windows.

No database here: the regulatory tables are versioned JSON under fixtures/monitoring/,
read by monitoring.domain.tables into the dataclasses these modules define.
"""
