"""Referrals: chains from a party and to it, top referrers and how referrals convert."""
