"""Use cases: provisioning, household management and sign-in, over the ports."""
