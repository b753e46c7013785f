"""Helpers shared by the tests: factories, fakes, clients and the scenes they run in."""
