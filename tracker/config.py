"""One configuration class per environment. Secrets and DATABASE_URL come from the environment."""
from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"
# A marker ProductionConfig refuses, never a key.
DEV_SECRET_PLACEHOLDER = "dev-only-not-secret"  # nosec B105


def database_url(default_sqlite: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{default_sqlite}"
    # Heroku-style and plain postgres URLs select psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _instance_secret() -> str:
    """A random key kept in instance/ so development sessions survive a restart."""
    INSTANCE.mkdir(exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    SERVICE_NAME = "Safeguarding Recommendations Tracker"
    COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Herefordshire Council")
    # The Word paper's charts, drawn by Plotly's static export with this browser
    # (tracker.chart_images); without it the paper has its tables only.
    CHART_IMAGES = os.environ.get("CHART_IMAGES", "1") != "0"
    CHART_IMAGES_BROWSER = os.environ.get("CHART_IMAGES_BROWSER", "/usr/bin/chromium")
    SQLALCHEMY_DATABASE_URI = database_url(INSTANCE / "tracker.sqlite")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = 15000
    # What a request may carry (tracker.security.limit_request_size): a little when not
    # signed in, the longest form when signed in; the upload routes set their own, larger
    # limits (security.UPLOAD_LIMITS), for administrators only.
    PUBLIC_REQUEST_BYTES = 16 * 1024
    FORM_REQUEST_BYTES = 1024 * 1024
    MAX_CONTENT_LENGTH = FORM_REQUEST_BYTES
    # A GIAS file larger than this is previewed by the jobs worker (``flask jobs run``), not
    # in the upload's request: a whole-England file (60 MB) takes longer than the web
    # worker's timeout; a council's own extract (under 1 MB) is previewed at once.
    GIAS_PREVIEW_INLINE_BYTES = int(os.environ.get("GIAS_PREVIEW_INLINE_BYTES",
                                                   str(5 * 1024 * 1024)))
    JOB_LEASE_SECONDS = int(os.environ.get("JOB_LEASE_SECONDS", "300"))  # a silent worker's
    JOB_POLL_SECONDS = float(os.environ.get("JOB_POLL_SECONDS", "2"))  # claim ends after this
    PERMANENT_SESSION_LIFETIME = dt.timedelta(hours=8)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = dt.timedelta(0)
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))
    # Redis, shared by every worker and host: the per-address sign-in count lives there.
    REDIS_URL = os.environ.get("REDIS_URL", "")
    RATELIMIT_STORAGE_URI = (os.environ.get("RATELIMIT_STORAGE_URI") or REDIS_URL
                             or "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    # Redis down: count in each process until it answers again, never refuse every sign-in.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    SIGN_IN_LIMIT = os.environ.get("SIGN_IN_LIMIT", "20 per 5 minutes")
    # Failed sign-ins slow an account down, never lock it (tracker.auth.services):
    MAX_FAILED_SIGN_INS = 5  # failures in a row before the first wait
    SLOW_DOWN_SECONDS = 60  # the first wait, doubling with each further failure
    LOCKOUT_MINUTES = 15  # the longest wait
    KNOWN_DEVICE_DAYS = 365  # how long a browser is remembered as one that has signed in
    OPEN_DATA_ENABLED = os.environ.get("OPEN_DATA_ENABLED", "").lower() in ("1", "true", "yes")
    # Administrators must sign in with a second factor (TOTP). Development may switch it off
    # with REQUIRE_ADMIN_2FA=0; production always requires it (see ProductionConfig).
    REQUIRE_ADMIN_2FA = os.environ.get("REQUIRE_ADMIN_2FA", "1").lower() not in ("0", "false", "no")
    TWO_FACTOR_ISSUER = os.environ.get("TWO_FACTOR_ISSUER", "Safeguarding Tracker")
    SIGN_IN_STEP_MINUTES = 10  # time allowed between the password and the second factor
    # Several services sharing one Redis keep their counts apart by this prefix.
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "tracker")
    HSTS = False
    TOKEN_VALID_HOURS = 72
    PAGE_SIZE = 25
    # "json": one JSON object per log line (tracker.logs); "text": Flask's plain lines.
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
    # Email (tracker/messages): SMTP relay or GOV.UK Notify; with neither, messages stay in
    # the outbox for administrators to see. Links in messages start with BASE_URL.
    BASE_URL = os.environ.get("BASE_URL", "http://localhost:5000")
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "").lower() in ("1", "true", "yes")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_FROM = os.environ.get("MAIL_FROM", "tracker@localhost")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "30"))
    NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY") or None
    NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL") or None  # None: Notify's own
    NOTIFY_TEMPLATES = {  # one template id per kind: NOTIFY_TEMPLATE_<KIND>
        kind: os.environ.get(f"NOTIFY_TEMPLATE_{kind.upper()}", "")
        for kind in ("invitation", "password_reset", "round_request", "round_reminder",
                     "digest", "escalation_action", "escalation_response", "school_reminder",
                     "challenge_answered", "sign_in_slowed", "impact_review",
                     "escalation_impact")}
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "5"))
    MAIL_RETRY_SECONDS = int(os.environ.get("MAIL_RETRY_SECONDS", "60"))  # doubles each try
    MAIL_LEASE_SECONDS = int(os.environ.get("MAIL_LEASE_SECONDS", "600"))
    MAIL_BATCH_SIZE = int(os.environ.get("MAIL_BATCH_SIZE", "50"))
    # /readyz reports the outbox "failing" (degraded) once a message waits this long past its
    # time: reminders run every 15 minutes, so two runs missed (tracker/health.py).
    OUTBOX_STUCK_MINUTES = int(os.environ.get("OUTBOX_STUCK_MINUTES", "30"))
    ESCALATION_OVERDUE_DAYS = int(os.environ.get("ESCALATION_OVERDUE_DAYS", "28"))
    FORGOT_PASSWORD_LIMIT = os.environ.get("FORGOT_PASSWORD_LIMIT", "5 per hour")

    @classmethod
    def init(cls) -> None:
        """Hook for checks that must run when the class is chosen."""


class DevelopmentConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY") or None

    @classmethod
    def init(cls) -> None:
        if not cls.SECRET_KEY:
            cls.SECRET_KEY = _instance_secret()


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-only-secret"  # nosec B105  # the tests' own key, never deployed
    SQLALCHEMY_DATABASE_URI = database_url(INSTANCE / "test.sqlite")
    RATELIMIT_ENABLED = False
    REQUIRE_ADMIN_2FA = False
    WTF_CSRF_ENABLED = True
    CHART_IMAGES = False  # a test that wants the images switches them on


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    # "__Host-" cookies are refused by browsers unless Secure, host-only and for path "/".
    SESSION_COOKIE_NAME = "__Host-tracker-session"
    REQUIRE_ADMIN_2FA = True
    HSTS = True
    SECRET_KEY = os.environ.get("SECRET_KEY")
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")

    @classmethod
    def init(cls) -> None:
        key = os.environ.get("SECRET_KEY", "")
        if not key or key == DEV_SECRET_PLACEHOLDER or len(key) < 32:
            raise RuntimeError(
                "Production needs SECRET_KEY set in the environment to a random value of at "
                "least 32 characters, for example: python -c 'import secrets; "
                "print(secrets.token_hex(32))'")
        cls.SECRET_KEY = key


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
