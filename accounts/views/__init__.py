"""The pages of fan login and the profile. Thin: each step's logic lives in ``flows``."""
