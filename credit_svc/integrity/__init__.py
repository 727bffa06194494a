"""Tamper evidence: a hash chain over the event log, and signed grade receipts."""
