"""Time-driven work: the outbox delivery worker and the periodic sweeps."""
