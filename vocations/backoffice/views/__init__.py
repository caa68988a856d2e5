"""Back-office views, one module per screen family."""
