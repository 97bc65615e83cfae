"""Budget lines with the six CONAC moments: `moments` imports a CSV into the money store,
`fiscal` exports the lines (CSV, Fiscal Data Package)."""
