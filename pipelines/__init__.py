"""Item pipelines: parse (gxcrawl.parse_report) then archive (gxcrawl.archive.store.Archive)."""
