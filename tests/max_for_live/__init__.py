"""Tests for the Max for Live devices in max_for_live/: the patchers, the .amxd build, and the device against the daemon."""
