"""Deals (orders) recorded against customers, and the depth figures they give."""
