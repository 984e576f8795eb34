"""The parsing side: a report file → one exact `Report` (readers, normalise, sections, tables,
narrative, checks). Knows nothing of the index."""
