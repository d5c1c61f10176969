"""Key persons: the key-person map of a customer, org charts, job moves, and the
strongest introduction paths to a person."""
