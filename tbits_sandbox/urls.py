"""URLs of the sandbox; ``/sandbox/`` stands for the provider's root."""

app_name = "tbits_sandbox"

urlpatterns: list = []
