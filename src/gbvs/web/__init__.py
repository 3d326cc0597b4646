"""The GBVS web application: server-rendered pages and the REST API ``/api/v1``.

Build it with :func:`gbvs.web.app.create_app` and a :class:`gbvs.config.Settings`; nothing is
created at import time.
"""
