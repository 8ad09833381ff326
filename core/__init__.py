"""Helpers every KeyStory app may use, below them all: the outbox, images, queue, PDFs, private media."""
