"""Administrators' tools: the audit log, and commands for two-factor resets."""
