"""/certificate and /verify (being assembled)."""
