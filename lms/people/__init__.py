"""People: importing diplomats from CSV, set-password links, and the admin's user pages."""
