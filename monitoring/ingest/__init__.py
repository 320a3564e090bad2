"""Reading monitoring data as it arrives (datalogger files, push batches, periodic result tables)."""
