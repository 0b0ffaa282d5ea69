"""Views of the sandbox: the emulated API, the provider's sign-in page and the outbox."""
