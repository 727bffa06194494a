"""Pure domain: aggregates, events, rule packs and grading. No I/O, no clock."""
