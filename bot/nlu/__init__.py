"""Language resources the Rasa pipeline loads: the German spaCy pipeline."""
