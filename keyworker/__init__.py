"""The key person system: key persons and key groups, cover and ratios, feedback, planning and meetings."""
