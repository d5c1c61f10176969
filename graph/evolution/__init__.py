"""How relationships evolve: interactions and the strength they move, timelines, states on
past dates, and the three measures of a customer relationship."""
