"""Requests between partner offices: reference numbers, deadlines, threads of messages."""
