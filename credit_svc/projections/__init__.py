"""Read models kept by projections, each write tracked in the same transaction."""
