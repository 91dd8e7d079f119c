"""The database underneath the models: engine settings, transactions that will write, and dialect helpers."""
