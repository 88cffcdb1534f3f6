"""Data protection (DSGVO): how long the assistant keeps what, and the data subjects' rights.

``retention`` deletes old conversations and removes personal data from tickets closed long
ago (``python -m bot privacy purge``, nightly); ``subject`` answers a person's request for
access or deletion (``privacy export``, ``privacy delete``). Both work on the two stores of
personal data: Rasa's tracker store (``conversations``) and the tickets (``tickets``).

There is no third: the trainers' review inbox and the feedback counts are read from the
tracker store each time (``bot.review``), so they go with the conversations, and Redis holds
only conversation locks that expire within seconds.
"""
