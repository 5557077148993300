"""Polls, ballots and tallies (pure), and the charts drawn from closed polls (charts.py)."""
