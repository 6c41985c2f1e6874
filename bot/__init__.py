"""The platform-free core of the Q&A bot."""
