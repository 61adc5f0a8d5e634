"""gunicorn's settings for production: `gunicorn -c backend/gunicorn.conf.py backend.wsgi --workers 4 --bind …`.

An access log on standard output whose lines never carry a query string or a referrer's (backend/logs.py says why).
"""

logger_class = "backend.logs.GunicornLogger"
accesslog = "-"
# The default format with the request time in milliseconds (%(M)s); any format is written without query strings.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
