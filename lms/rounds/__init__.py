"""Blueprint ``rounds``: the coordinator's pages for running a training round (cohorts, enrolments, members)."""
