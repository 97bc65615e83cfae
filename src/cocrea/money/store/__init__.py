"""The money store: Parquet tables in snapshots switched atomically (`snapshots`)."""
