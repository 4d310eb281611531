"""pairctl: pair colleagues for two-way mentoring across specialties."""

__version__ = "0.1.0"
