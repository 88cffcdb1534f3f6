"""The trainers' review inbox, read from Rasa's tracker store.

What users asked that the assistant was unsure about, and what they said about its answers.
"""
