"""Analytics over the money store: the flows snapshot derived from the contracting store, its
per-party tables, and the DuckDB queries the pages, the API and the downloads read.

    flows_snapshot  where the flows snapshot lives and which tables it holds
    flows           rebuilds it from the store (`sync_from_store`, `LiveFlows` during an import)
    flags_job       the red flags of a rebuild, in a child process
    parties         the per-party summary and lists written into each flows snapshot
    database        `connect()`: DuckDB views over the current snapshots; `Scope`
    figures, findings, pages, party_search   the queries, by what the pages show
"""
