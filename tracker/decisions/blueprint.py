"""The decisions blueprint, on its own so each views module can add its routes to it."""
from flask import Blueprint

bp = Blueprint("decisions", __name__, url_prefix="/decisions")
