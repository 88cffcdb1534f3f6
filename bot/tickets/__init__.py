"""Tickets the assistant opens for the service desk.

Numbers and priorities so far; the ticket service with history follows.
"""
