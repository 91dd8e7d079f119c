"""Run every benchmark: the dashboard in-process, then the pages under gunicorn."""
from bench import dashboard, pages

if __name__ == "__main__":
    dashboard.main()
    pages.main()
