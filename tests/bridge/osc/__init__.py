"""Tests for the bridge package, mirroring its layout."""
