"""Analyst views: network measures, the tier pyramid, customer value classes."""
