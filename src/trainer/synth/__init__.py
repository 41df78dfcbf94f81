"""Synthetic massage videos with a known thumb path: samples, test data and accuracy yardstick."""
