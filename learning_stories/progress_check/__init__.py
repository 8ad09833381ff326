"""The progress check at age two: the due list, the key person's check, the family's view, the PDF."""
