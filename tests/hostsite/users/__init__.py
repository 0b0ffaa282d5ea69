"""The host site's own members app (label ``users``): login, profile, membership cards."""
