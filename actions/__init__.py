"""Rasa custom actions: glue between the conversation and ``bot``; one action per module."""
