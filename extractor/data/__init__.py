"""Derived data files (gazetteer) and the scripts that build them."""
