"""The EYFS framework: which version a nursery uses, and the statements it offers (managers' pages)."""
