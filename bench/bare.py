"""The ceiling for bench/pages.py: a truly bare Flask app, one route returning a string.

Served beside the LMS under the same gunicorn settings, so that each page's throughput is measured as a
share of what Flask and gunicorn alone can do on the same machine in the same run.
"""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index() -> str:
    return "ok"
