"""A typed, resilient client for the Tradable Bits API. Pure Python: never imports Django."""
