"""Helpers shared by the test layers (tests/unit, tests/integration, tests/wire, tests/browser)."""
