"""Use cases: what the service does, over the domain and the stores."""
