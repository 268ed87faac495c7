"""Tests of the email edition."""
