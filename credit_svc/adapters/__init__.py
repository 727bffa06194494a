"""Infrastructure: the event store, hash chain, locks, listeners, caches, codecs."""
