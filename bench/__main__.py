"""Run every benchmark."""
from bench import dashboard

if __name__ == "__main__":
    dashboard.main()
