"""Tests of referrals."""
