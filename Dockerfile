# One image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs settings, not services: give it throwaway production values.
RUN DJANGO_DEBUG=False DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=build \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 CACHE_URL=locmemcache:// CELERY_BROKER_URL=memory:// EMAIL_URL=consolemail:// \
    SITE_URL=https://build.invalid python manage.py collectstatic --noinput

RUN useradd --create-home csweek && mkdir -p /app/var/media && chown -R csweek /app/var
USER csweek
EXPOSE 8000
CMD ["gunicorn", "csweek.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
