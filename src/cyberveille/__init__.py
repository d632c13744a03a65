"""cyberveille: a source-linked record of cyber incidents and of who is blamed for them."""

__version__ = "0.1.0"
