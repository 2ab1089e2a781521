"""The messages blueprint: routes in views.py (outbox, settings, forgotten password) and
round_views.py (update rounds); views.py imports round_views so both register."""
from flask import Blueprint

bp = Blueprint("messages", __name__)
