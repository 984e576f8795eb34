"""The index side: records and full-text stores in generations (build, store, generations,
snapshot, analysis, the parse workers). Uses the parsing side; the parsing side never uses it."""
